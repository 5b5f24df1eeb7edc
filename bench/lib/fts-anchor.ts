import SQLite from 'better-sqlite3';
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
