import type { Migration } from './index.js';

/**
 * PostgreSQL: a batch of vote changes on one paper in one call, so that the paper's row lock is held
 * only inside the server, never across round trips to a web process (which, on a busy machine, may
 * wait long for the CPU between two of them while the other processes' votes on that paper queue).
 * The steps of SQLite's transaction in src/store/votes.ts (applyVoteChanges): lock the paper (no
 * row for a missing or hidden one), read the voters' rows, answer each change in order
 * (planVoteChanges: a change answers "changed" when it differs from the voter's previous wish, or
 * from their row for their first), delete and insert the net rows (a voter who withdrew and voted
 * again gets a row of the new time), move the trending score by the counted votes added and removed
 * (scoreAfterVotes in src/store/trending.ts; 0 where that has no exact answer, and the caller
 * rescans), and re-count the upvotes from the rows. It replaces the one-vote cast_vote() (migrations
 * 070 and 084, dropped by 190).
 */
const castVotes = `CREATE FUNCTION cast_votes(paper TEXT, voters TEXT[], wishes BOOLEAN[], voted_at TEXT[],
    half_life_ms DOUBLE PRECISION, removal_floor DOUBLE PRECISION, negligible_exponent DOUBLE PRECISION)
  RETURNS TABLE (changed BOOLEAN[], upvotes INTEGER, trending_score DOUBLE PRECISION) LANGUAGE plpgsql VOLATILE AS $$
  DECLARE
    score DOUBLE PRECISION;
    answers BOOLEAN[];
    gone TEXT[];
    fresh TEXT[];
    fresh_at TEXT[];
    added DOUBLE PRECISION[];
    removed DOUBLE PRECISION[];
    t DOUBLE PRECISION;
    x DOUBLE PRECISION;
    hi DOUBLE PRECISION;
    lo DOUBLE PRECISION;
  BEGIN
    SELECT p.trending_score INTO score FROM papers p WHERE p.id = paper AND p.hidden = 0 FOR NO KEY UPDATE;
    IF NOT FOUND THEN
      RETURN;
    END IF;
    WITH req AS (
      SELECT r.voter, r.wish, r.stamp, r.n FROM unnest(voters, wishes, voted_at) WITH ORDINALITY AS r(voter, wish, stamp, n)
    ), steps AS (
      SELECT req.voter, req.wish, req.stamp, req.n, v.user_id IS NOT NULL AS had,
        req.wish IS DISTINCT FROM COALESCE(LAG(req.wish) OVER (PARTITION BY req.voter ORDER BY req.n), v.user_id IS NOT NULL) AS changes,
        LAST_VALUE(req.wish) OVER (PARTITION BY req.voter ORDER BY req.n
          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS final
      FROM req LEFT JOIN votes v ON v.paper_id = paper AND v.user_id = req.voter
    ), net AS (
      SELECT s.voter, bool_or(s.had) AS had, bool_or(s.final) AS final, bool_or(s.changes) AS changes,
        (array_agg(s.stamp ORDER BY s.n DESC) FILTER (WHERE s.changes AND s.wish))[1] AS stamp
      FROM steps s GROUP BY s.voter
    )
    SELECT (SELECT array_agg(s.changes ORDER BY s.n) FROM steps s),
      array_agg(w.voter) FILTER (WHERE w.had AND w.changes),
      array_agg(w.voter) FILTER (WHERE w.final AND w.changes),
      array_agg(w.stamp) FILTER (WHERE w.final AND w.changes)
    INTO answers, gone, fresh, fresh_at FROM net w;
    WITH d AS (
      DELETE FROM votes v WHERE v.paper_id = paper AND v.user_id = ANY(COALESCE(gone, '{}'))
      RETURNING v.created_at, v.counted
    )
    SELECT array_agg(extract(epoch FROM d.created_at::timestamptz)::double precision * 1000) FILTER (WHERE d.counted = 1)
    INTO removed FROM d;
    INSERT INTO votes (user_id, paper_id, created_at)
      SELECT f.voter, paper, f.stamp FROM unnest(COALESCE(fresh, '{}'), COALESCE(fresh_at, '{}')) AS f(voter, stamp);
    SELECT array_agg(extract(epoch FROM f.stamp::timestamptz)::double precision * 1000) INTO added
      FROM unnest(COALESCE(fresh_at, '{}')) AS f(stamp);
    IF score > 0 THEN
      FOREACH t IN ARRAY COALESCE(added, '{}') LOOP
        x := t / half_life_ms;
        hi := GREATEST(x, score);
        lo := LEAST(x, score);
        score := CASE WHEN hi - lo > negligible_exponent THEN hi ELSE hi + LN(1 + POWER(2, lo - hi)) / LN(2) END;
      END LOOP;
      FOREACH t IN ARRAY COALESCE(removed, '{}') LOOP
        x := t / half_life_ms;
        IF x - score > removal_floor THEN
          score := 0;
          EXIT;
        END IF;
        IF score - x <= negligible_exponent THEN
          score := score + LN(1 - POWER(2, x - score)) / LN(2);
        END IF;
      END LOOP;
    ELSE
      score := 0;
    END IF;
    RETURN QUERY UPDATE papers p
      SET upvotes = (SELECT COUNT(*) FROM votes c WHERE c.paper_id = paper AND c.counted = 1),
        trending_score = CASE WHEN score > 0 THEN score ELSE p.trending_score END
      WHERE p.id = paper RETURNING answers, p.upvotes, score;
  END
$$`;

export const castVotesFunction: Migration = {
  version: 191,
  name: 'cast_votes_function',
  sql: { sqlite: [], postgres: [castVotes] },
};
