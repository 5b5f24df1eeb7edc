import type { Migration } from './index.js';

/**
 * Accounts, sessions, login links, API tokens, votes, comments, the moderation log and
 * rate-limit counters. The moderation log is append-only: triggers refuse UPDATE and DELETE.
 */
const shared = (serial: string, bigint: string) => [
  `CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'admin')),
    banned_at TEXT,
    created_at TEXT NOT NULL
  )`,
  // "Ada" and "ada" would be indistinguishable on the page: usernames are unique regardless of case.
  `CREATE UNIQUE INDEX users_username_lower ON users (lower(username))`,
  `CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  )`,
  `CREATE INDEX sessions_user ON sessions (user_id)`,
  `CREATE TABLE login_links (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  )`,
  `CREATE TABLE api_tokens (
    id ${serial},
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  )`,
  `CREATE INDEX api_tokens_user ON api_tokens (user_id)`,
  `CREATE TABLE votes (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, paper_id)
  )`,
  `CREATE INDEX votes_paper ON votes (paper_id, created_at)`,
  `CREATE TABLE comments (
    id ${serial},
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id),
    parent_id ${bigint} REFERENCES comments(id),
    body TEXT NOT NULL,
    hidden INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    edited_at TEXT,
    deleted_at TEXT
  )`,
  `CREATE INDEX comments_paper ON comments (paper_id, created_at)`,
  `CREATE TABLE moderation_log (
    id ${serial},
    moderator_id TEXT NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE rate_limit_hits (
    bucket TEXT NOT NULL,
    window_start TEXT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
  )`,
  `CREATE INDEX rate_limit_hits_window ON rate_limit_hits (window_start)`,
];

export const community: Migration = {
  version: 20,
  name: 'community',
  sql: {
    sqlite: [
      ...shared('INTEGER PRIMARY KEY AUTOINCREMENT', 'INTEGER'),
      `CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log BEGIN
        SELECT RAISE(ABORT, 'moderation_log is append-only');
      END`,
      `CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log BEGIN
        SELECT RAISE(ABORT, 'moderation_log is append-only');
      END`,
    ],
    postgres: [
      ...shared('BIGSERIAL PRIMARY KEY', 'BIGINT'),
      `CREATE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'moderation_log is append-only'; END
      $$`,
      `CREATE TRIGGER moderation_log_append_only BEFORE UPDATE OR DELETE ON moderation_log
        FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only()`,
    ],
  },
};
