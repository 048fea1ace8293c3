// Removes the `// indirect` requirements jsii-pacmak writes into the Go module's go.mod.
// pacmak takes their versions from the installed npm packages, which are often newer than any Go module release
// (e.g. @aws-cdk/cloud-assembly-schema); Go resolves indirect dependencies from aws-cdk-go's own go.mod anyway.
// Usage: node build-tools/go-mod-without-indirect.mjs dist/go/<package>/go.mod
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) throw new Error('usage: node build-tools/go-mod-without-indirect.mjs <go.mod>');
const lines = readFileSync(file, 'utf8').split('\n');
const kept = lines.filter((line) => !/\/\/ indirect\s*$/.test(line));
if (!kept.some((line) => line.includes('github.com/aws/aws-cdk-go/awscdk/v2 '))) {
  throw new Error(`${file} does not require github.com/aws/aws-cdk-go/awscdk/v2: is it a jsii-pacmak go.mod?`);
}
writeFileSync(file, kept.join('\n'));
console.log(`${file}: removed ${lines.length - kept.length} indirect requirement(s)`);
