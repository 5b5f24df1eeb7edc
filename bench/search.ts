/**
 * Lexical search latency (p50/p99) on the 96,789-paper corpus in SQLite, in process, against the raw
 * FTS5 query the search runs, issued through better-sqlite3 on the same database file.
 */
import { importJsonl } from '../src/ingest/jsonl.js';
import { searchLexical } from '../src/search/lexical.js';
import { freshSqlite } from '../test/helpers/db.js';
import { ARXIV_97K, printResult, round } from './_common.js';
import { FTS_ANCHOR, rawFtsSearch } from './lib/fts-anchor.js';
import { latencies, percentiles, titleQueries } from './lib/search-queries.js';

const QUERIES = 100;
const LIMIT = 20;
const TARGET_P50_MS = 10;

const db = await freshSqlite();
try {
  await importJsonl(db, ARXIV_97K);
  const queries = await titleQueries(QUERIES);
  const ours = await latencies(queries, (text) => searchLexical(db, { text, limit: LIMIT }));

  const anchorSearch = rawFtsSearch(db.location, LIMIT);
  const anchor = await latencies(queries, anchorSearch.search);
  anchorSearch.close();

  const figures = percentiles(ours);
  const anchorFigures = percentiles(anchor);
  printResult({
    bench: 'search',
    corpus: 'arxiv-97k',
    dialect: 'sqlite',
    queries: queries.length,
    limit: LIMIT,
    lexical: figures,
    anchor: { what: FTS_ANCHOR, ...anchorFigures },
    p50_ratio_to_anchor: round(figures.p50_ms / anchorFigures.p50_ms, 2),
    target: `p50 under ${TARGET_P50_MS} ms`,
    target_met: figures.p50_ms < TARGET_P50_MS,
  });
} finally {
  await db.close();
}
