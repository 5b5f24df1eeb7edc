import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A run that finds no test must fail, never pass silently.
    passWithNoTests: false,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
