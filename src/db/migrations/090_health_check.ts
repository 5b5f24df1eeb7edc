import type { Migration } from './index.js';

/** One row that /readyz writes, so readiness proves that writes commit (a full disk fails it). */
const statements = [`CREATE TABLE health_check (id INTEGER PRIMARY KEY, checked_at TEXT NOT NULL)`];

export const healthCheck: Migration = {
  version: 90,
  name: 'health_check',
  sql: { sqlite: statements, postgres: statements },
};
