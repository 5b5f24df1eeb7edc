import type { Migration } from './index.js';

/**
 * `settings`: values a deployment generates once and keeps, such as the key that signs links in mail
 * when SECRET_KEY is unset. `login_failures`: failed password logins per (account, client address)
 * pair and per account, for backoff instead of a lock (accounts are named by a hash of their email,
 * so the table holds no address and any text can be a key).
 */
const statements = [
  `CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  )`,
  `CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL
  )`,
  `CREATE INDEX login_failures_last ON login_failures (last_failure_at)`,
];

export const security: Migration = { version: 81, name: 'security', sql: { sqlite: statements, postgres: statements } };
