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
 * every committed vote. (SQLite has one writer at a time.)
 */
const countedVotesFunction = `CREATE FUNCTION counted_votes(paper TEXT) RETURNS INTEGER LANGUAGE plpgsql VOLATILE AS $$
  BEGIN
    RETURN (SELECT COUNT(*) FROM votes WHERE paper_id = paper AND counted = 1);
  END
$$`;

/**
 * PostgreSQL: a whole vote in one call, the same steps as setVote in src/store/votes.ts takes on
 * SQLite: the row change (only on a visible paper), then upvotes re-counted and the trending score
 * moved by that one vote (the formula of scoreAfterVote there; constants: a half-life of 86,400,000
 * ms, log2(e), 60 half-lives below a score's precision, log2(1 − 1/16) for the share a removal must
 * leave). Called as one autocommit statement, it holds the paper's row lock only inside the server,
 * from the UPDATE to the commit, instead of across round trips to the application: votes on one paper
 * have to take turns, and each turn is now that short. The score is 0 where no exact update exists;
 * the caller then rescans. Returns no row for a missing or hidden paper.
 */
const castVoteFunction = `CREATE FUNCTION cast_vote(voter TEXT, paper TEXT, wanted BOOLEAN, voted_at TEXT)
  RETURNS TABLE (changed BOOLEAN, upvotes INTEGER, trending_score DOUBLE PRECISION) LANGUAGE plpgsql VOLATILE AS $$
  DECLARE
    vote_time TEXT;
    vote_counted INTEGER;
    x DOUBLE PRECISION;
  BEGIN
    IF wanted THEN
      INSERT INTO votes (user_id, paper_id, created_at) SELECT voter, p.id, voted_at FROM papers p WHERE p.id = paper AND p.hidden = 0
        ON CONFLICT (user_id, paper_id) DO NOTHING RETURNING votes.created_at, votes.counted INTO vote_time, vote_counted;
    ELSE
      DELETE FROM votes v WHERE v.user_id = voter AND v.paper_id = paper AND v.paper_id IN (SELECT p.id FROM papers p WHERE p.id = paper AND p.hidden = 0)
        RETURNING v.created_at, v.counted INTO vote_time, vote_counted;
    END IF;
    IF vote_time IS NULL THEN
      RETURN QUERY SELECT false, p.upvotes, p.trending_score FROM papers p WHERE p.id = paper AND p.hidden = 0;
      RETURN;
    END IF;
    x := (extract(epoch FROM vote_time::timestamptz) * 1000)::double precision / 86400000.0;
    RETURN QUERY UPDATE papers p SET upvotes = counted_votes(paper), trending_score = CASE
        WHEN vote_counted = 0 THEN p.trending_score
        WHEN p.trending_score <= 0 THEN 0
        WHEN wanted AND x - p.trending_score > 60 THEN x
        WHEN wanted AND p.trending_score - x > 60 THEN p.trending_score
        WHEN wanted AND x > p.trending_score THEN x + LN(1 + POWER(2, p.trending_score - x)) * 1.4426950408889634
        WHEN wanted THEN p.trending_score + LN(1 + POWER(2, x - p.trending_score)) * 1.4426950408889634
        WHEN x - p.trending_score > -0.09310940439148147 THEN 0
        WHEN p.trending_score - x > 60 THEN p.trending_score
        ELSE p.trending_score + LN(1 - POWER(2, x - p.trending_score)) * 1.4426950408889634 END
      WHERE p.id = paper RETURNING true, p.upvotes, p.trending_score;
  END
$$`;

export const voteStanding: Migration = {
  version: 70,
  name: 'vote_standing',
  sql: { sqlite: statements, postgres: [...statements, countedVotesFunction, castVoteFunction] },
};
