// CommonJS (.cjs) inside a "type": "module" package.
exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ format: 'cjs' }) });
