import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // test/ plus the browser app's pure logic (web/src/**/*.test.ts: no DOM, no services)
    include: ['test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // browser tests run with `npm run test:e2e` (vitest.e2e.config.ts); the packed-package test with `npm run test:pack`
    // the reliability suite runs on its own too (npm run test:reliability): minutes of chaos, not a unit of CI
    exclude: ['test/e2e/**', '**/node_modules/**', 'test/package/**', 'test/reliability/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
    // The AWS SDK warns on every client that Node 20 support ends in 2027; tests do not need to hear it.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
