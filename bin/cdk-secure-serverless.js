#!/usr/bin/env node
// The `cdk-secure-serverless` command; see `cdk-secure-serverless local --help`.
require('../lib/cli/main').main(process.argv.slice(2)).then((code) => process.exit(code));
