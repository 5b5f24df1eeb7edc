import type { Migration } from './index.js';

/**
 * Digest subscribers (double opt-in, no account needed) and the mail outbox: one row per
 * message under a unique key, so planning twice or two workers at once never send a digest twice.
 */
const tables = (autoId: string): string[] => [
  `CREATE TABLE subscribers (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    include_top INTEGER NOT NULL DEFAULT 1,
    topics TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'disabled')),
    bounce_count INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_error_at TEXT,
    account_mail_at TEXT,
    confirmed_at TEXT,
    unsubscribed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE INDEX subscribers_active ON subscribers (frequency, id) WHERE status = 'active'`,
  `CREATE TABLE outbox (
    id ${autoId},
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('digest', 'confirm', 'manage')),
    subscriber_id TEXT NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
    period TEXT,
    content TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    run_at TEXT NOT NULL,
    locked_by TEXT,
    locked_until TEXT,
    message_id TEXT NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
  )`,
  `CREATE INDEX outbox_due ON outbox (run_at, id) WHERE status = 'pending'`,
  `CREATE INDEX outbox_subscriber ON outbox (subscriber_id, created_at)`,
];

export const subscriptions: Migration = {
  version: 40,
  name: 'subscriptions',
  sql: {
    sqlite: tables('INTEGER PRIMARY KEY AUTOINCREMENT'),
    postgres: tables('BIGSERIAL PRIMARY KEY'),
  },
};
