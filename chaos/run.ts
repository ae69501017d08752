// `npm run chaos` (every phase) and `npm run chaos:short` (`--short`: the in-process phases, for CI).
// The AWS SDK warns on Node 20 at every client; the figures must stay one JSON object per line, so the
// warning is switched off before any SDK module loads.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The commands the trials start keep their local data (secrets, locks) here, never in `.dunning/`.
const dataDir = mkdtempSync(join(tmpdir(), 'dunning-chaos-data-'));
process.env.DUNNING_DATA_DIR = dataDir;
try {
  const { runChaos } = await import('./phases.ts');
  process.exitCode = await runChaos({ short: process.argv.includes('--short') });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
