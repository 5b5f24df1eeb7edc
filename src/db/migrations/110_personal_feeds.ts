import type { Migration } from './index.js';

/**
 * A member's private "For you" feed (issue 13): one secret URL per member, stored only as the
 * SHA-256 of its token (as sessions and API tokens are), so a leaked database opens no feed.
 * Rotating replaces the row; revoking deletes it.
 */
const statements = [
  `CREATE TABLE personal_feeds (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  )`,
];

export const personalFeeds: Migration = {
  version: 110,
  name: 'personal_feeds',
  sql: { sqlite: statements, postgres: statements },
};
