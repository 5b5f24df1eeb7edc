import { defineConfig } from 'vitest/config';
import { hasChromium } from './test/helpers/browser.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'eval/**/*.test.ts'],
    // Browser tests need Debian's chromium (.ci/run installs it); the README's `npm test` runs without it.
    // The fault suite (test/faults) kills processes and fills disks, and the cluster suite (test/cluster) runs several
    // processes on one PostgreSQL: `npm run test:faults`, after `npm test` in .ci/run.
    exclude: ['**/node_modules/**', 'test/faults/**', 'test/cluster/**', ...(hasChromium() ? [] : ['test/e2e/**'])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A run that finds no test must fail, never pass silently.
    passWithNoTests: false,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
