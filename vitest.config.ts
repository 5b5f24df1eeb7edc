import { defineConfig } from 'vitest/config';
import { hasChromium } from './test/helpers/browser.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Browser tests need Debian's chromium (.ci/run installs it); the README's `npm test` runs without it.
    exclude: ['**/node_modules/**', ...(hasChromium() ? [] : ['test/e2e/**'])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A run that finds no test must fail, never pass silently.
    passWithNoTests: false,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
