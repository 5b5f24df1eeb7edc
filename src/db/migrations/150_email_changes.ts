import type { Migration } from './index.js';

/**
 * A member's pending change of email address (issue 13): the account keeps its old address until a
 * link mailed to the new one is followed. Only the SHA-256 of the link's token is stored; a link
 * works once, until it expires, and asking again replaces the pending change.
 */
const statements = [
  `CREATE TABLE email_changes (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    new_email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  )`,
  'CREATE INDEX email_changes_user ON email_changes (user_id)',
];

export const emailChanges: Migration = {
  version: 150,
  name: 'email_changes',
  sql: { sqlite: statements, postgres: statements },
};
