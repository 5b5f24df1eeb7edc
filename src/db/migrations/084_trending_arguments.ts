import type { Migration } from './index.js';

/**
 * cast_vote() (migration 070) with the trending constants as arguments instead of literals, so they
 * are defined once, in src/store/trending.ts, and changing the half-life needs no migration. The steps
 * are those of setVote on SQLite (src/store/votes.ts): the row change (only on a visible paper), then
 * upvotes re-counted and the trending score moved by that one vote. `x` is the vote's time in
 * half-lives; a removal that would leave the score below `removal_floor` half-lives of the removed
 * vote, like a paper without a score, gets 0, and the caller rescans. Two terms `negligible_exponent`
 * half-lives apart keep the larger. One autocommit call holds the paper's row lock only inside the server.
 */
const castVoteWithConstants = `CREATE FUNCTION cast_vote(voter TEXT, paper TEXT, wanted BOOLEAN, voted_at TEXT,
    half_life_ms DOUBLE PRECISION, removal_floor DOUBLE PRECISION, negligible_exponent DOUBLE PRECISION)
  RETURNS TABLE (changed BOOLEAN, upvotes INTEGER, trending_score DOUBLE PRECISION) LANGUAGE plpgsql VOLATILE AS $$
  DECLARE
    vote_time TEXT;
    vote_counted INTEGER;
    x DOUBLE PRECISION;
  BEGIN
    IF wanted THEN
      INSERT INTO votes (user_id, paper_id, created_at)
        SELECT voter, p.id, voted_at FROM papers p WHERE p.id = paper AND p.hidden = 0
        ON CONFLICT (user_id, paper_id) DO NOTHING
        RETURNING votes.created_at, votes.counted INTO vote_time, vote_counted;
    ELSE
      DELETE FROM votes v
        WHERE v.user_id = voter AND v.paper_id = paper
          AND v.paper_id IN (SELECT p.id FROM papers p WHERE p.id = paper AND p.hidden = 0)
        RETURNING v.created_at, v.counted INTO vote_time, vote_counted;
    END IF;
    IF vote_time IS NULL THEN
      RETURN QUERY SELECT false, p.upvotes, p.trending_score FROM papers p WHERE p.id = paper AND p.hidden = 0;
      RETURN;
    END IF;
    x := (extract(epoch FROM vote_time::timestamptz) * 1000)::double precision / half_life_ms;
    RETURN QUERY UPDATE papers p SET upvotes = counted_votes(paper), trending_score = CASE
        WHEN vote_counted = 0 THEN p.trending_score
        WHEN p.trending_score <= 0 THEN 0
        WHEN wanted AND x - p.trending_score > negligible_exponent THEN x
        WHEN wanted AND p.trending_score - x > negligible_exponent THEN p.trending_score
        WHEN wanted AND x > p.trending_score THEN x + LN(1 + POWER(2, p.trending_score - x)) / LN(2)
        WHEN wanted THEN p.trending_score + LN(1 + POWER(2, x - p.trending_score)) / LN(2)
        WHEN x - p.trending_score > removal_floor THEN 0
        WHEN p.trending_score - x > negligible_exponent THEN p.trending_score
        ELSE p.trending_score + LN(1 - POWER(2, x - p.trending_score)) / LN(2) END
      WHERE p.id = paper RETURNING true, p.upvotes, p.trending_score;
  END
$$`;

export const trendingArguments: Migration = {
  version: 84,
  name: 'trending_arguments',
  sql: { sqlite: [], postgres: ['DROP FUNCTION cast_vote(TEXT, TEXT, BOOLEAN, TEXT)', castVoteWithConstants] },
};
