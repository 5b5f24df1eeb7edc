import type { Migration } from './index.js';

/**
 * `settings`: values a deployment generates once and keeps, such as the key that signs links in mail
 * when SECRET_KEY is unset. `login_failures`: failed password logins per (account, client address)
 * pair and per account, for backoff instead of a lock (accounts are named by a hash of their email,
 * so the table holds no address and any text can be a key). `users.email_confirmed_at`: when the
 * owner of a signed-up address first followed a link mailed to it; password logins wait for it.
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
  // Sign-up no longer logs in at once: the address is proven by following the mailed link first.
  `ALTER TABLE users ADD COLUMN email_confirmed_at TEXT`,
  `UPDATE users SET email_confirmed_at = created_at`,
];

export const security: Migration = { version: 81, name: 'security', sql: { sqlite: statements, postgres: statements } };
