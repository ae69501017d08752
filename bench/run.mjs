#!/usr/bin/env node
// `npm run bench`: the performance figures of bench/README.md, one JSON object per line on stdout.
// TypeScript runs through tsx, as the CLI does; the SDK's Node 20 warning would only add noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./main.ts');
await main();
// Every figure is printed; a keep-alive socket left by a library must not hold the bench open.
process.exit(0);
