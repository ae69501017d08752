// `npm run chaos`. The AWS SDK warns on Node 20 at every client; the figures must stay one JSON object
// per line, so the warning is switched off before any SDK module loads.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { runChaos } = await import('./phases.ts');
process.exitCode = await runChaos();
