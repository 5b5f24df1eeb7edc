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

/**
 * PostgreSQL also gets the count as a VOLATILE function. A vote's `UPDATE papers SET upvotes =
 * counted_votes(id)` may wait for the paper's row lock; under READ COMMITTED a plain subquery would
 * then still count from the snapshot the statement started with and miss the votes committed
 * meanwhile, but a VOLATILE function takes a fresh snapshot each time it runs, and PostgreSQL
 * evaluates the SET again once the lock is granted. So the statement that takes the lock also counts
 * every committed vote, with no separate locking round trip. (SQLite has one writer at a time.)
 */
const countedVotesFunction = `CREATE FUNCTION counted_votes(paper TEXT) RETURNS INTEGER LANGUAGE plpgsql VOLATILE AS $$
  BEGIN
    RETURN (SELECT COUNT(*) FROM votes WHERE paper_id = paper AND counted = 1);
  END
$$`;

export const voteStanding: Migration = {
  version: 70,
  name: 'vote_standing',
  sql: { sqlite: statements, postgres: [...statements, countedVotesFunction] },
};
