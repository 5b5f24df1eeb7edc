import type { Migration } from './index.js';

/**
 * Deleted accounts (issue 13). A deleted account's row stays as a tombstone, because comments and the
 * append-only moderation log point at it, but it keeps nothing that names or reaches its member: its
 * email and username are replaced by values no sign-up can give (freeing the real ones), its password
 * is gone, and `deleted_at` says when. Everything else the member owned is deleted with it.
 */
const statements = ['ALTER TABLE users ADD COLUMN deleted_at TEXT'];

export const accountDeletion: Migration = {
  version: 160,
  name: 'account_deletion',
  sql: { sqlite: statements, postgres: statements },
};
