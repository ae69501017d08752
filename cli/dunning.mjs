#!/usr/bin/env node
// Entry of the `dunning` CLI. The AWS SDK warns on Node 20 at every start; the user of a CLI has
// nothing to act on there, so the warning is switched off before any SDK module loads.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
