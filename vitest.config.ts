import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Emulator-backed suites each start their own processes on free ports; two workers fit 2 cores.
    maxWorkers: 2,
    // Local data (secrets, locks) of in-process commands goes to a temp dir, never to `.dunning/`.
    setupFiles: ['test/support/data-dir.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
