// An ES module whose initialisation awaits (top-level await), as nodejs24.x runs it.
const config = await new Promise((resolve) => setTimeout(() => resolve({ loadedAt: 'init', format: 'esm' }), 10));

export const handler = async () => ({ statusCode: 200, body: JSON.stringify(config) });
