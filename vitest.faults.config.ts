import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The fault suite: servers and imports in their own processes, their PostgreSQL backends terminated,
 * their SQLite disk filled (a tmpfs, so root: CI runs as root); and the cluster suite (test/cluster),
 * several processes on one PostgreSQL. Slower than `npm test`, and both need PostgreSQL, so run apart.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/faults/**/*.test.ts', 'test/cluster/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
  },
});
