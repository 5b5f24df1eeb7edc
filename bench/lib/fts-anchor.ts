import SQLite from 'better-sqlite3';
import pg from 'pg';
import { ftsQueryForAllWords } from '../../src/search/lexical.js';

/** What the search benches' anchor measures, for their JSON output. */
export const FTS_ANCHOR = 'the all-words FTS5 bm25 query lexical search runs first, via better-sqlite3, prepared once';

/**
 * The raw FTS5 anchor on the database at `location`: the first query lexical search runs (every
 * word, best by bm25 in the index, then the papers joined), with no query parsing, id lookup, OR
 * fallback or fusion. Call `close` when done.
 */
export function rawFtsSearch(
  location: string,
  limit: number,
): { search: (text: string) => unknown; close: () => void } {
  const raw = new SQLite(location, { readonly: true });
  const statement = raw.prepare(
    `SELECT papers.id, -best.score AS score
     FROM (SELECT rowid, bm25(papers_fts, 4.0, 1.0, 0.5) AS score FROM papers_fts WHERE papers_fts MATCH ? ORDER BY score LIMIT ?) AS best
     JOIN papers ON papers.rowid = best.rowid WHERE papers.hidden = 0 ORDER BY best.score, papers.id LIMIT ?`,
  );
  const search = (text: string) => {
    const match = ftsQueryForAllWords(text);
    // Only common words: lexical search answers without a query too.
    return match ? statement.all(match, limit + 20, limit) : [];
  };
  return { search, close: () => raw.close() };
}

/** What the PostgreSQL anchor measures. */
export const PG_FTS_ANCHOR =
  'a raw PostgreSQL full-text query: plainto_tsquery(english) on papers.search_vector, best 20 by ts_rank, one pg client';

/** The raw PostgreSQL full-text anchor on the database at `url`: no parsing, tiers, fallback or fusion. */
export async function rawPostgresSearch(
  url: string,
  limit: number,
): Promise<{ search: (text: string) => Promise<unknown>; close: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const search = async (text: string) =>
    (
      await client.query({
        name: 'anchor',
        text: `SELECT id FROM papers, plainto_tsquery('english', $1) AS q
               WHERE search_vector @@ q AND hidden = 0 ORDER BY ts_rank(search_vector, q) DESC, id LIMIT $2`,
        values: [text, limit],
      })
    ).rows;
  return { search, close: () => client.end() };
}
