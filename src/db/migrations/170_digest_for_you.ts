import type { Migration } from './index.js';

/**
 * Issue 13: a member's digest can carry a "For you" section (`subscribers.for_you`), and a followed
 * author, category or search can be one of its topics (`follows.in_digest`). Which member a
 * subscription belongs to is read from its address when a digest is planned, so a changed address
 * never carries someone's recommendations to a mailbox that is no longer theirs.
 */
const statements = [
  'ALTER TABLE subscribers ADD COLUMN for_you INTEGER NOT NULL DEFAULT 0',
  'ALTER TABLE follows ADD COLUMN in_digest INTEGER NOT NULL DEFAULT 0',
];

export const digestForYou: Migration = {
  version: 170,
  name: 'digest_for_you',
  sql: { sqlite: statements, postgres: statements },
};
