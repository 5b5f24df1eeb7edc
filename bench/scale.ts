/**
 * "All of arXiv": the 97k corpus grown to SCALE_PAPERS papers (default 200,000) by bench/lib/synthesise.ts,
 * imported into SCALE_DB (sqlite, the default, or postgres) through the product's import path
 * (importJsonl, as `dailypapers import` does), every paper then featured on its publication day. It
 * measures the import rate, the trending sweep (first and steady), embedding and index build, lexical,
 * semantic and hybrid search p50/p99, day page and /api/daily_papers latency, disk and peak memory.
 * Anchors, each in the same run: gunzip-free reading + JSON.parse of the corpus file (import), the raw
 * FTS5 or PostgreSQL full-text query (search), a node:http hello world fetched the same way (pages).
 * The database and corpus file live in data/scale/ (git-ignored; PostgreSQL's database on its server) and are
 * deleted at the end unless SCALE_KEEP=1.
 * SCALE_EMBED=false skips embedding (semantic and hybrid are then not measured), SCALE_EMBED=stored measures the
 * vectors a kept database already has without embedding the rest (a run cut short); SCALE_FEATURE=false skips featuring,
 * the trending sweeps and the day pages (a search-only run); SCALE_QUERIES sizes the search runs.
 * SCALE_DATABASE measures a database kept by SCALE_KEEP=1 again (its PostgreSQL URL or SQLite file) without
 * building it: what is not embedded yet is embedded, then search (and day pages) are measured.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type AppContext, appContextAround } from '../src/app/context.js';
import { buildApp } from '../src/app/server.js';
import { loadConfig } from '../src/config/index.js';
import type { Db } from '../src/db/connection.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrations/index.js';
import { importJsonl, readLines } from '../src/ingest/jsonl.js';
import { createLogger } from '../src/logger.js';
import { withTransaction } from '../src/db/transaction.js';
import { recomputeTrendingScores } from '../src/rank/recompute.js';
import { countPapers, mergeFullTextEntriesInLargeRuns, settleFullTextIndexes } from '../src/store/papers.js';
import { embedPendingPapers } from '../src/search/embed-job.js';
import { activeEmbeddingModel, countVectors } from '../src/store/embeddings.js';
import { searchPapers } from '../src/search/search.js';
import { SEARCH_MODES, type SearchMode } from '../src/search/types.js';
import { freshPostgres } from '../test/helpers/db.js';
import { benchPostgresUrl, printResult, round, timed } from './_common.js';
import { corpusLines, type CorpusLine } from './lib/corpus.js';
import { FTS_ANCHOR, PG_FTS_ANCHOR, rawFtsSearch, rawPostgresSearch } from './lib/fts-anchor.js';
import { latencies, percentiles, titleQueries } from './lib/search-queries.js';
import { scaledCorpus } from './lib/synthesise.js';

const PAPERS = Number(process.env.SCALE_PAPERS ?? 200_000);
const DIALECT = process.env.SCALE_DB ?? 'sqlite';
const EMBED = process.env.SCALE_EMBED !== 'false';
const EMBED_REST = process.env.SCALE_EMBED !== 'stored';
const FEATURE = process.env.SCALE_FEATURE !== 'false';
const QUERIES = Number(process.env.SCALE_QUERIES ?? 300);
const KEEP = process.env.SCALE_KEEP === '1';
const REUSE = process.env.SCALE_DATABASE;
const LIMIT = 20;
const PAGE_DAYS = 40;
const GOALS = { search_p50_ms: 50, search_p99_ms: 300, peak_rss_mb: 1536 };
const DIR = fileURLToPath(new URL('../data/scale/', import.meta.url));

if (!Number.isInteger(PAPERS) || PAPERS < 1) throw new Error('SCALE_PAPERS must be a positive whole number');
if (DIALECT !== 'sqlite' && DIALECT !== 'postgres') throw new Error('SCALE_DB must be sqlite or postgres');

const peakRssMb = () => round(process.resourceUsage().maxRSS / 1024, 0);
const memory: Record<string, number> = {};
const startedAt = performance.now();

/** Each phase's figure on stderr as it completes: a run too long for its window still leaves its curve. */
function phaseDone(phase: string, figures: Record<string, unknown>): void {
  const elapsed = round((performance.now() - startedAt) / 1000, 1);
  process.stderr.write(`${JSON.stringify({ phase, elapsed_s: elapsed, ...figures, load: loadavg()[0] })}\n`);
}

/** The scaled corpus written as an import file; returns its path. */
async function writeCorpus(): Promise<string> {
  const records: CorpusLine[] = [];
  for await (const line of corpusLines()) records.push(line);
  const file = join(DIR, `corpus-${PAPERS}.jsonl`);
  const out = createWriteStream(file);
  for (const record of scaledCorpus(records, PAPERS))
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return file;
}

async function openBenchDatabase(): Promise<{ db: Db; url: string }> {
  if (REUSE) return { db: await openDatabase(REUSE, { poolSize: 8 }), url: REUSE };
  if (DIALECT === 'postgres') {
    const admin = await benchPostgresUrl();
    if (!admin) throw new Error('SCALE_DB=postgres but no PostgreSQL answers (set BENCH_DATABASE_URL)');
    const db = await freshPostgres(admin, { poolSize: 8, keep: KEEP });
    // The location has no credentials: the anchor's client connects as the admin URL does.
    const url = new URL(admin);
    url.pathname = new URL(db.location).pathname;
    return { db, url: url.toString() };
  }
  const file = join(DIR, 'scale.db');
  rmSync(file, { force: true });
  rmSync(`${file}-wal`, { force: true });
  const db = await openDatabase(file);
  await migrate(db);
  return { db, url: file };
}

async function diskMb(db: Db): Promise<Record<string, number>> {
  if (db.dialect === 'postgres') {
    const { rows } = await sql<{ bytes: string }>`SELECT pg_database_size(current_database()) AS bytes`.execute(
      db.kysely,
    );
    return { database: round(Number(rows[0]!.bytes) / 2 ** 20, 0) };
  }
  const size = (path: string) => (existsSync(path) ? round(statSync(path).size / 2 ** 20, 0) : 0);
  return {
    database: size(db.location),
    wal: size(`${db.location}-wal`),
    vector_index: size(`${db.location}.vectors.usearch`),
  };
}

/** A hello world on node:http in this process: the floor under any page fetched the same way. */
async function helloWorld(): Promise<{ base: string; close: () => Promise<void> }> {
  const server = createServer((_, res) => res.end('hello world'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

const fetchBody = async (url: string) => {
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
};

/** Day pages and /api/daily_papers of the newest PAGE_DAYS featured days, beside a hello world fetched the same way. */
async function measurePages(db: Db, ctx: AppContext): Promise<Record<string, unknown>> {
  const days = (
    await db.kysely
      .selectFrom('papers')
      .select('featured_on')
      .distinct()
      .where('featured_on', 'is not', null)
      .orderBy('featured_on', 'desc')
      .limit(PAGE_DAYS)
      .execute()
  ).map((row) => row.featured_on!);
  const app = await buildApp(ctx);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const hello = await helloWorld();
  const pages: Record<string, ReturnType<typeof percentiles>> = {};
  try {
    const rounds = [...days, ...days];
    pages.day_page = percentiles(await latencies(rounds, (day) => fetchBody(`${base}/papers/date/${day}`)));
    pages.api_daily_papers = percentiles(
      await latencies(rounds, (day) => fetchBody(`${base}/api/daily_papers?date=${day}`)),
    );
    pages.anchor = percentiles(await latencies(rounds, () => fetchBody(hello.base)));
  } finally {
    await hello.close();
    await app.close();
  }
  const papersPerDay = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('featured_on', 'in', days)
    .executeTakeFirstOrThrow();

  return {
    days: days.length,
    mean_papers_per_day: round(Number(papersPerDay.n) / Math.max(1, days.length), 1),
    ...pages,
    anchor_what: 'node:http hello world in this process, fetched the same way',
  };
}

/**
 * The scaled corpus written, imported and (unless SCALE_FEATURE=false) featured and swept, each step timed: the
 * figures of building the database.
 */
async function buildCorpus(db: Db, url: string): Promise<Record<string, unknown>> {
  const synthesis = await timed(writeCorpus);
  const corpusFile = synthesis.value;
  phaseDone('synthesis', { seconds: synthesis.seconds });
  try {
    const importAnchor = await timed(async () => {
      for await (const line of readLines(corpusFile)) JSON.parse(line.text!);
    });
    const imported = await timed(() =>
      importJsonl(db, corpusFile, {
        featuredOn: '2026-01-01',
        onProgress: ({ papers }) => {
          if (papers % 100_000 === 0) phaseDone('importing', { papers });
        },
      }),
    );
    memory.after_import = peakRssMb();
    phaseDone('import', {
      seconds: imported.seconds,
      anchor_seconds: importAnchor.seconds,
      rss_mb: memory.after_import,
      database: KEEP ? url : undefined,
    });
    // Every row rewritten: its words are added to the full-text indexes again, merged in large runs as an import's are.
    const featured = FEATURE
      ? await timed(() =>
          withTransaction(db, async (tx) => {
            await mergeFullTextEntriesInLargeRuns(tx);
            await sql`UPDATE papers SET featured_on = COALESCE(published_on, featured_on)`.execute(tx.kysely);
          }),
        )
      : null;
    await settleFullTextIndexes(db);
    phaseDone('feature', { seconds: featured?.seconds ?? null });
    // First sweep: every featured paper arrived without a score. Second: nothing changed since (the 10-minute job's usual case).
    const firstSweep = FEATURE ? await timed(() => recomputeTrendingScores(db)) : null;
    // Featuring and the first sweep each leave a dead version of every row on PostgreSQL, and the steady sweep and
    // search read their index entries until autovacuum comes (2.5M: steady sweep 10.4 s, lexical p99 2.3 s, before
    // it): vacuumed here, as an operator does after a bulk import, and timed.
    const vacuum = db.dialect === 'postgres' ? await timed(() => sql`VACUUM ANALYZE papers`.execute(db.kysely)) : null;
    const steadySweep = FEATURE ? await timed(() => recomputeTrendingScores(db)) : null;
    memory.after_trending = peakRssMb();
    phaseDone('trending', {
      first: firstSweep?.seconds ?? null,
      vacuum: vacuum?.seconds ?? null,
      steady: steadySweep?.seconds ?? null,
      read: steadySweep?.value.read ?? null,
    });
    return {
      synthesis_seconds: round(synthesis.seconds, 1),
      import: {
        seconds: round(imported.seconds, 1),
        papers_per_s: Math.round(PAPERS / imported.seconds),
        inserted: imported.value.inserted,
        bad_lines: imported.value.bad,
        anchor: {
          what: 'reading + JSON.parse of every line of the same file',
          seconds: round(importAnchor.seconds, 1),
        },
        fraction_of_anchor_rate: round(importAnchor.seconds / imported.seconds, 3),
        feature_every_paper_seconds: featured ? round(featured.seconds, 1) : null,
      },
      vacuum_seconds: vacuum ? round(vacuum.seconds, 1) : null,
      trending_sweep:
        firstSweep && steadySweep
          ? {
              first_seconds: round(firstSweep.seconds, 1),
              first: firstSweep.value,
              steady_seconds: round(steadySweep.seconds, 3),
              steady: steadySweep.value,
            }
          : { skipped: 'SCALE_FEATURE=false' },
    };
  } finally {
    if (!KEEP) rmSync(corpusFile, { force: true });
  }
}

mkdirSync(DIR, { recursive: true });
const { db, url } = await openBenchDatabase();
const config = loadConfig({ LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false', PAGE_CACHE_MS: '0' });
const ctx = appContextAround({ db, config, logger: createLogger('silent') });
try {
  const built = REUSE ? { reused: REUSE } : await buildCorpus(db, url);

  let embedding: Record<string, unknown> = { skipped: 'SCALE_EMBED=false' };
  if (EMBED) {
    const run = await timed(async () =>
      EMBED_REST ? embedPendingPapers(ctx) : { modelId: (await activeEmbeddingModel(db))?.id ?? null, embedded: 0 },
    );
    memory.after_embedding = peakRssMb();
    const index = await timed(async () => (await ctx.vectorIndexes.active(db))!);
    memory.after_index = peakRssMb();
    phaseDone('embedding', { seconds: run.seconds, index_seconds: index.seconds, rss_mb: memory.after_index });
    embedding = {
      model: run.value.modelId,
      embedded: run.value.embedded,
      seconds: round(run.seconds, 1),
      papers_per_s: Math.round(run.value.embedded / run.seconds),
      vectors: await countVectors(db, run.value.modelId ?? ''),
      index_build_seconds: round(index.seconds, 1),
      index_engine: index.value.constructor.name,
      index_size: index.value.size(),
    };
  }

  const queries = await titleQueries(QUERIES);
  const modes: SearchMode[] = EMBED ? [...SEARCH_MODES] : ['lexical'];
  const search: Record<string, ReturnType<typeof percentiles>> = {};
  for (const mode of modes)
    search[mode] = percentiles(await latencies(queries, (text) => searchPapers(ctx, { text, mode, limit: LIMIT })));
  const anchorSearch = db.dialect === 'sqlite' ? rawFtsSearch(url, LIMIT) : await rawPostgresSearch(url, LIMIT);
  const searchAnchor = percentiles(await latencies(queries, anchorSearch.search));
  await anchorSearch.close();
  memory.after_search = peakRssMb();
  phaseDone('search', { ...search, anchor: searchAnchor });

  const p = (mode: string, key: 'p50_ms' | 'p99_ms') => search[mode]?.[key] ?? null;
  printResult({
    bench: 'scale',
    dialect: db.dialect,
    papers: await countPapers(db),
    ...built,
    embedding,
    search: { queries: queries.length, limit: LIMIT, ...search },
    search_anchor: { what: db.dialect === 'sqlite' ? FTS_ANCHOR : PG_FTS_ANCHOR, ...searchAnchor },
    pages: FEATURE ? await measurePages(db, ctx) : { skipped: 'SCALE_FEATURE=false' },
    disk_mb: await diskMb(db),
    peak_rss_mb: memory,
    goals: GOALS,
    goals_met: {
      search_p50: modes.every((mode) => (p(mode, 'p50_ms') ?? Infinity) < GOALS.search_p50_ms),
      search_p99: modes.every((mode) => (p(mode, 'p99_ms') ?? Infinity) < GOALS.search_p99_ms),
      peak_rss: peakRssMb() < GOALS.peak_rss_mb,
    },
  });
} finally {
  await ctx.close();
  await db.close();
  if (!KEEP && !REUSE) {
    if (db.dialect === 'sqlite')
      for (const suffix of ['', '-wal', '-shm', '.vectors.usearch', '.vectors.usearch.json'])
        rmSync(`${url}${suffix}`, { force: true });
  }
}
