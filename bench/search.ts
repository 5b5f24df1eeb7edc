/**
 * Lexical search latency (p50/p99) on the 96,789-paper corpus in SQLite, in process, against the raw
 * FTS5 query the search runs, issued through better-sqlite3 on the same database file.
 */
import SQLite from 'better-sqlite3';
import { importJsonl, readPaperRecords } from '../src/ingest/jsonl.js';
import { ftsQueryForAllWords, searchLexical } from '../src/search/lexical.js';
import { freshSqlite } from '../test/helpers/db.js';
import { ARXIV_97K, printResult, round } from './_common.js';

const QUERIES = 100;
const WARMUP_QUERIES = 10;
const LIMIT = 20;
const TARGET_P50_MS = 10;

/** Search-box queries: the first one to four words of titles spread over the corpus, deterministic. */
async function sampleQueries(): Promise<string[]> {
  const titles: string[] = [];
  for await (const record of readPaperRecords(ARXIV_97K)) titles.push(record.title);
  return Array.from({ length: QUERIES }, (_, i) => {
    const words = titles[(i * 7919) % titles.length]!.split(/\s+/).filter((w) => /^[A-Za-z][A-Za-z-]{2,}$/.test(w));
    return words.slice(0, 1 + (i % 4)).join(' ');
  }).filter((q) => q.length > 0);
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!, 3);
  return { p50_ms: at(0.5), p99_ms: at(0.99), mean_ms: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 3) };
}

async function latencies(queries: string[], run: (q: string) => unknown): Promise<number[]> {
  for (const q of queries.slice(0, WARMUP_QUERIES)) await run(q); // warm the page cache and the JIT
  const samples: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    await run(q);
    samples.push(performance.now() - started);
  }
  return samples;
}

const db = await freshSqlite();
try {
  await importJsonl(db, ARXIV_97K);
  const queries = await sampleQueries();
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
