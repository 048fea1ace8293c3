import { App, Stack } from 'aws-cdk-lib';
import * as library from 'cdk-secure-serverless';

const app = new App();
const stack = new Stack(app, 'SecureServerlessExample', {
  description: 'Example service built with cdk-secure-serverless',
});
stack.templateOptions.metadata = { library: Object.keys(library).length };
app.synth();
