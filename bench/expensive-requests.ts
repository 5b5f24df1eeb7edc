/**
 * Whether strangers' expensive requests stall everyone else: with the 97k corpus imported (every paper
 * featured on its publication day, with trending scores), 20 clients keep the most expensive requests
 * the API and pages allow in flight (the deepest pages, trending over the whole feed, 20-category
 * author searches, search feeds) while one client asks for `/` one request at a time. The figure is
 * `/`'s p50/p99/max during that storm against the same probe on the idle server in the same run.
 * The server runs in its own process (this file, started with `serve DATABASE_URL`), with the per-IP
 * limits raised so the storm measures what the queries cost, not the limiter. SQLite always;
 * PostgreSQL too when one answers (BENCH_DATABASE_URL, TEST_DATABASE_URL or the local server).
 */
import { sql } from 'kysely';
import { loadConfig } from '../src/config/index.js';
import { openDatabase, type Db } from '../src/db/connection.js';
import { importJsonl } from '../src/ingest/jsonl.js';
import { freshPostgres, freshSqlite } from '../test/helpers/db.js';
import { ARXIV_97K, benchPostgresUrl, printResult, round } from './_common.js';
import { serveAndPrintUrl, startChildServer } from './lib/child-server.js';
import { percentiles } from './lib/search-queries.js';

const STORM_CLIENTS = 20;
const PROBE_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const TARGET_P99_MS = 200;

const CATEGORIES =
  'cs.CV cs.CL cs.AI cs.LG cs.RO cs.IR cs.NE cs.MA cs.CR cs.DB cs.DC cs.DS cs.GT cs.HC cs.IT cs.LO' +
  ' cs.MM cs.NI stat.ML eess.IV';
const MANY = encodeURIComponent(CATEGORIES);

/** The costliest requests the bounds leave open, and the ones that used to freeze the server (now refused). */
const EXPENSIVE = [
  '/api/daily_papers?p=100&limit=50&sort=trending',
  '/api/daily_papers?p=900&sort=trending',
  '/api/daily_papers?month=2025-10&sort=publishedAt&p=99&limit=50',
  '/api/daily_papers?month=2025-11&p=49&limit=100',
  `/api/papers/search?q=learning&author=wang&category=${MANY}&sort=date`,
  `/api/papers/search?q=learning&author=a&category=${MANY}`,
  `/api/papers/search?q=model+learning+data&category=${MANY}&offset=980`,
  `/api/papers/search?q=neural+network&author=li&mode=lexical&sort=upvotes`,
  `/search?q=language+model&author=zhang&category=${MANY}&page=50`,
  `/feed.xml?q=learning&category=${MANY}&view=trending&limit=200`,
  '/papers/month/2025-10?page=101',
];

/** Child mode: serve the database at `url` with default settings, bar the per-IP limits. */
async function serve(url: string): Promise<void> {
  const db = await openDatabase(url, { statementTimeoutMs: loadConfig({}).STATEMENT_TIMEOUT_MS });
  await serveAndPrintUrl(db, { LOG_LEVEL: 'error' });
}

/** The corpus as a busy feed: every paper featured on its publication day, with varied scores and upvotes. */
async function importCorpus(db: Db): Promise<void> {
  await importJsonl(db, ARXIV_97K, { featuredOn: '2026-01-01' });
  await sql`UPDATE papers SET featured_on = COALESCE(published_on, featured_on),
    trending_score = (length(title) * 7919 % 1000) / 10.0, upvotes = length(abstract) % 17`.execute(db.kysely);
  await sql`ANALYZE`.execute(db.kysely);
}

/** Asks for `/` one request at a time for `seconds`; each answer's milliseconds. */
async function probeHome(url: string, seconds: number): Promise<number[]> {
  const samples: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const started = performance.now();
    const response = await fetch(`${url}/`, { headers: { 'accept-encoding': 'gzip, br' } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`/ answered ${response.status}`);
    samples.push(performance.now() - started);
  }
  return samples;
}

function figures(samples: number[]) {
  return { requests: samples.length, ...percentiles(samples), max_ms: round(Math.max(...samples), 1) };
}

/** Keeps STORM_CLIENTS expensive requests in flight until `stop` resolves; what they answered, and how fast. */
async function storm(url: string, stop: Promise<void>) {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const statuses: Record<string, number> = {};
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: STORM_CLIENTS }, async (_, client) => {
      for (let i = client; !stopped; i++) {
        const started = performance.now();
        const response = await fetch(`${url}${EXPENSIVE[i % EXPENSIVE.length]}`);
        await response.arrayBuffer();
        samples.push(performance.now() - started);
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      }
    }),
  );
  return { statuses, ...figures(samples) };
}

async function measure(dialect: string, db: Db, databaseUrl: string) {
  const started = performance.now();
  await importCorpus(db);
  const importSeconds = round((performance.now() - started) / 1000, 1);
  const server = await startChildServer(import.meta.url, [databaseUrl]);
  try {
    await probeHome(server.url, 2); // warm-up
    const idle = figures(await probeHome(server.url, PROBE_SECONDS));
    const probe = probeHome(server.url, PROBE_SECONDS);
    const during = storm(
      server.url,
      probe.then(() => {}),
    );
    const home = figures(await probe);
    return {
      dialect,
      import_seconds: importSeconds,
      idle_home: idle,
      storm_home: home,
      storm_requests: await during,
      p99_ratio_to_idle: round(home.p99_ms / idle.p99_ms, 2),
      target_met: home.p99_ms < TARGET_P99_MS,
    };
  } finally {
    server.child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const results = [];
  const sqlite = await freshSqlite();
  try {
    results.push(await measure('sqlite', sqlite, sqlite.location));
  } finally {
    await sqlite.close();
  }
  const pgUrl = await benchPostgresUrl();
  if (pgUrl) {
    const postgres = await freshPostgres(pgUrl);
    try {
      const url = new URL(pgUrl);
      url.pathname = new URL(postgres.location).pathname;
      results.push(await measure('postgres', postgres, url.toString()));
    } finally {
      await postgres.close();
    }
  }
  printResult({
    bench: 'expensive-requests',
    corpus: 'arxiv-97k, every paper featured',
    storm: { clients: STORM_CLIENTS, requests: EXPENSIVE },
    probe_seconds: PROBE_SECONDS,
    anchor: '/ probed one request at a time on the idle server, same run',
    results,
    target: `/ p99 under ${TARGET_P99_MS} ms during the storm`,
  });
}

if (process.argv[2] === 'serve') await serve(process.argv[3]!);
else await main();
