import type { Migration } from './index.js';

/**
 * Votes of banned members stop counting (and count again on unban) without being deleted:
 * `counted` is 0 while the voter is banned. Counters and trending read only counted votes, through
 * an index that answers "the counted votes of this paper" on its own.
 */
const statements = [
  `ALTER TABLE votes ADD COLUMN counted INTEGER NOT NULL DEFAULT 1`,
  `UPDATE votes SET counted = 0 WHERE user_id IN (SELECT id FROM users WHERE banned_at IS NOT NULL)`,
  `DROP INDEX votes_paper`,
  `CREATE INDEX votes_paper_counted ON votes (paper_id, counted, created_at)`,
  `UPDATE papers SET upvotes = (SELECT COUNT(*) FROM votes WHERE votes.paper_id = papers.id AND votes.counted = 1)
    WHERE id IN (SELECT paper_id FROM votes WHERE counted = 0)`,
];

export const voteStanding: Migration = {
  version: 70,
  name: 'vote_standing',
  sql: { sqlite: statements, postgres: statements },
};
