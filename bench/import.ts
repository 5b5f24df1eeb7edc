/**
 * Import rate of the 96,789-paper arXiv file into a fresh SQLite database and, when a server is
 * available, a fresh PostgreSQL database. Anchor: decompressing and JSON-parsing the same file.
 */
import type { Db } from '../src/db/connection.js';
import { importJsonl, readLines } from '../src/ingest/jsonl.js';
import { freshPostgres, freshSqlite } from '../test/helpers/db.js';
import { ARXIV_97K, benchPostgresUrl, printResult, round, timed } from './_common.js';

const TARGET_SQLITE_SECONDS = 60;

const anchor = await timed(async () => {
  let lines = 0;
  for await (const line of readLines(ARXIV_97K)) {
    JSON.parse(line.text!);
    lines++;
  }
  return lines;
});
const papers = anchor.value;
const anchorRate = papers / anchor.seconds;

async function measure(db: Db) {
  try {
    const run = await timed(() => importJsonl(db, ARXIV_97K));
    const rate = papers / run.seconds;
    return {
      seconds: round(run.seconds, 1),
      papers_per_s: Math.round(rate),
      // Our process only: on PostgreSQL the server's share of the work is not in it.
      process_cpu_seconds: round(run.cpuSeconds, 1),
      fraction_of_anchor_rate: round(rate / anchorRate, 3),
      inserted: run.value.inserted,
      bad_lines: run.value.bad,
    };
  } finally {
    await db.close();
  }
}

const sqlite = await measure(await freshSqlite());
const pgUrl = await benchPostgresUrl();
const postgres = pgUrl
  ? await measure(await freshPostgres(pgUrl))
  : { skipped: 'no PostgreSQL server (set BENCH_DATABASE_URL)' };

printResult({
  bench: 'import',
  file: 'arxiv-97k.jsonl.gz',
  papers,
  anchor: {
    what: 'gunzip + JSON.parse of every line',
    seconds: round(anchor.seconds, 1),
    papers_per_s: Math.round(anchorRate),
  },
  sqlite: { ...sqlite, target: `under ${TARGET_SQLITE_SECONDS} s`, target_met: sqlite.seconds < TARGET_SQLITE_SECONDS },
  postgres,
});
