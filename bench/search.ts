/**
 * Lexical search latency (p50/p99) on the 96,789-paper corpus in SQLite, in process, against the raw
 * FTS5 query the search runs, issued through better-sqlite3 on the same database file.
 */
import SQLite from 'better-sqlite3';
import { importJsonl } from '../src/ingest/jsonl.js';
import { queryTerms, searchLexical } from '../src/search/lexical.js';
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

  // The anchor: the same MATCH and bm25 weights, one prepared statement, no query builder.
  const raw = new SQLite(db.location, { readonly: true });
  const statement = raw.prepare(
    `SELECT papers.id, -bm25(papers_fts, 10.0, 3.0, 1.0) AS score FROM papers_fts JOIN papers ON papers.rowid = papers_fts.rowid
     WHERE papers_fts MATCH ? AND papers.hidden = 0 ORDER BY bm25(papers_fts, 10.0, 3.0, 1.0) LIMIT ?`,
  );
  const anchor = await latencies(queries, (text) => statement.all(queryTerms(text).map((t) => `"${t}"`).join(' OR '), LIMIT));
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
    anchor: { what: 'raw FTS5 bm25 query via better-sqlite3, prepared once', ...anchorFigures },
    p50_ratio_to_anchor: round(figures.p50_ms / anchorFigures.p50_ms, 2),
    target: `p50 under ${TARGET_P50_MS} ms`,
    target_met: figures.p50_ms < TARGET_P50_MS,
  });
} finally {
  await db.close();
}
