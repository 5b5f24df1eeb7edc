/**
 * Lexical search latency (p50/p99) on the 96,789-paper corpus in SQLite, in process, against the raw
 * FTS5 query the search runs, issued through better-sqlite3 on the same database file.
 */
import SQLite from 'better-sqlite3';
import { importJsonl } from '../src/ingest/jsonl.js';
import { ftsQueryForAllWords, searchLexical } from '../src/search/lexical.js';
import { freshSqlite } from '../test/helpers/db.js';
import { ARXIV_97K, printResult, round } from './_common.js';
import { latencies, percentiles, titleQueries } from './lib/search-queries.js';

const QUERIES = 100;
const LIMIT = 20;
const TARGET_P50_MS = 10;

const db = await freshSqlite();
try {
  await importJsonl(db, ARXIV_97K);
  const queries = await titleQueries(QUERIES);
  const ours = await latencies(queries, (text) => searchLexical(db, { text, limit: LIMIT }));

  // The anchor: the first query the search runs (every word, best by bm25 in the index, then the
  // papers joined), as one prepared statement with no query parsing, id lookup or OR fallback.
  const raw = new SQLite(db.location, { readonly: true });
  const statement = raw.prepare(
    `SELECT papers.id, -best.score AS score
     FROM (SELECT rowid, bm25(papers_fts, 4.0, 1.0, 0.5) AS score FROM papers_fts WHERE papers_fts MATCH ? ORDER BY score LIMIT ?) AS best
     JOIN papers ON papers.rowid = best.rowid WHERE papers.hidden = 0 ORDER BY best.score, papers.id LIMIT ?`,
  );
  const anchor = await latencies(queries, (text) => statement.all(ftsQueryForAllWords(text), LIMIT + 20, LIMIT));
  raw.close();

  const figures = percentiles(ours);
  const anchorFigures = percentiles(anchor);
  printResult({
    bench: 'search',
    corpus: 'arxiv-97k',
    dialect: 'sqlite',
    queries: queries.length,
    limit: LIMIT,
    lexical: figures,
    anchor: { what: 'the same all-words FTS5 bm25 query via better-sqlite3, prepared once', ...anchorFigures },
    p50_ratio_to_anchor: round(figures.p50_ms / anchorFigures.p50_ms, 2),
    target: `p50 under ${TARGET_P50_MS} ms`,
    target_met: figures.p50_ms < TARGET_P50_MS,
  });
} finally {
  await db.close();
}
