/**
 * "For you" latency (p50/p99) on the 96,789-paper corpus in SQLite, for a member with 200 signals
 * (120 upvotes and 50 saves around 8 interests, 20 "not interested", 10 follows: 5 authors, 3
 * categories, 2 searches): in process (recommendFor) and through `GET /api/recommendations` with an
 * API token, the server in this process. The anchor, in the same run: the raw FTS5 query a lexical
 * search starts with, via better-sqlite3. The database is built once and kept in data/ (see benchDatabase).
 */
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appContextAround } from '../src/app/context.js';
import { buildApp } from '../src/app/server.js';
import { openDatabase, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrations/index.js';
import { issueApiToken } from '../src/community/accounts.js';
import { loadConfig } from '../src/config/index.js';
import { importJsonl } from '../src/ingest/jsonl.js';
import { createLogger } from '../src/logger.js';
import { recommendFor } from '../src/recommend/for-you.js';
import { embedPendingPapers } from '../src/search/embed-job.js';
import { nearestPapers } from '../src/search/semantic.js';
import { dismissPaper } from '../src/store/dismissals.js';
import { vectorsOfPapers, activeEmbeddingModel } from '../src/store/embeddings.js';
import { addFollow, listFollows } from '../src/store/follows.js';
import { saveLibraryItem } from '../src/store/library.js';
import { getPapers } from '../src/store/papers.js';
import { createUser, findUserByUsername } from '../src/store/users.js';
import { setVote } from '../src/store/votes.js';
import { SeededRandom } from '../test/helpers/random.js';
import { printResult, round } from './_common.js';
import { UNLIMITED_VISITORS } from './lib/child-server.js';
import { corpusLines } from './lib/corpus.js';
import { FTS_ANCHOR, rawFtsSearch } from './lib/fts-anchor.js';
import { latencies, percentiles, titleQueries, WARMUP } from './lib/search-queries.js';
import { ARXIV_97K } from './_common.js';

/** BENCH_RECORDS=8000 profiles on the first papers of the corpus (embedding all 97k takes long). */
const RECORDS = Number(process.env.BENCH_RECORDS ?? 0);
const RUNS = 60;
const LIMIT = 20;
const TARGET_P50_MS = 50;
const DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));
mkdirSync(DATA_DIR, { recursive: true });
const DB_FILE = join(DATA_DIR, `bench-recommendations-${RECORDS > 0 ? RECORDS : 'all'}.db`);

const { db, reused } = await benchDatabase();
const config = loadConfig({
  LOG_LEVEL: 'silent',
  SCHEDULER_ENABLED: 'false',
  PAGE_CACHE_MS: '0',
  ...UNLIMITED_VISITORS,
});
const ctx = appContextAround({ db, config, logger: createLogger('silent') });
try {
  if (!reused) {
    await importJsonl(db, RECORDS > 0 ? await sampleOf(RECORDS) : ARXIV_97K);
    await embedPendingPapers(ctx);
    await ctx.vectorIndexes.active(db);
    await setUpMember();
    writeFileSync(`${DB_FILE}.ready`, '');
  }
  await ctx.vectorIndexes.active(db);
  const user = (await findUserByUsername(db, 'bench'))!;
  const follows = await listFollows(db, user.id);

  const runs = Array.from({ length: RUNS }, (_, i) => i);
  let basis = '';
  // CPU time as well as wall time: on a shared machine the wall time mostly measures the others' load.
  const cpuBefore = process.cpuUsage();
  const inProcess = percentiles(
    await latencies(runs, async () => {
      basis = (await recommendFor(ctx, user.id, { limit: LIMIT })).basis;
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);

  const { token } = await issueApiToken(db, user.id, 'bench');
  const app = await buildApp(ctx);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  let overHttp: ReturnType<typeof percentiles>;
  try {
    overHttp = percentiles(
      await latencies(runs, async () => {
        const response = await fetch(`${base}/api/recommendations?limit=${LIMIT}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (response.status !== 200) throw new Error(`/api/recommendations answered ${response.status}`);
        await response.arrayBuffer();
      }),
    );
  } finally {
    await app.close();
  }

  const queries = await titleQueries(RUNS);
  const anchorSearch = rawFtsSearch(db.location, LIMIT);
  const anchor = percentiles(await latencies(queries, anchorSearch.search));
  anchorSearch.close();

  printResult({
    bench: 'recommendations',
    corpus: RECORDS > 0 ? `arxiv-97k, first ${RECORDS}` : 'arxiv-97k',
    dialect: 'sqlite',
    signals: { upvotes: 120, saves: 50, not_interested: 20, follows: follows.length },
    database: `${reused ? 'reused' : 'built'} ${basename(DB_FILE)}`,
    basis,
    limit: LIMIT,
    in_process: inProcess,
    in_process_cpu_ms_per_request: round((cpu.user + cpu.system) / 1000 / (RUNS + Math.min(WARMUP, RUNS)), 1),
    over_http: overHttp,
    anchor: { what: FTS_ANCHOR, ...anchor },
    p50_ratio_to_anchor: round(inProcess.p50_ms / anchor.p50_ms, 1),
    target: `p50 under ${TARGET_P50_MS} ms`,
    target_met: inProcess.p50_ms < TARGET_P50_MS && overHttp.p50_ms < TARGET_P50_MS,
  });
} finally {
  await ctx.close();
  await db.close();
}

/** The member: 8 interests (a random paper each and its nearest neighbours), 21 likes of each, 20 "not interested", 10 follows. */
async function setUpMember(): Promise<void> {
  const model = (await activeEmbeddingModel(db))!;
  const random = new SeededRandom(7);
  const all = await db.kysely.selectFrom('papers').select('id').orderBy('id').execute();
  const interests: string[][] = [];
  while (interests.length < 8) {
    const seed = all[random.int(0, all.length - 1)]!.id;
    const vector = (await vectorsOfPapers(db, model.id, [seed])).get(seed)?.vector;
    if (!vector) continue;
    interests.push([seed, ...(await nearestPapers(ctx, vector, { limit: 40, exclude: seed })).map((h) => h.id)]);
  }
  const user = await createUser(db, { email: 'bench@example.org', username: 'bench', passwordHash: null });
  const liked = interests.flatMap((ids) => ids.slice(0, 22)).slice(0, 170);
  for (const id of liked.slice(0, 120)) await setVote(db, user.id, id, true);
  for (const id of liked.slice(120)) await saveLibraryItem(db, user.id, id, {});
  for (let i = 0; i < 20; i++) await dismissPaper(db, user.id, all[random.int(0, all.length - 1)]!.id);
  const likedPapers = await getPapers(db, liked.slice(0, 40));
  const authors = [...new Set(likedPapers.flatMap((p) => p.authors.map((a) => a.name)))].slice(0, 5);
  const categories = [...new Set(likedPapers.map((p) => p.primaryCategory).filter((c): c is string => !!c))];
  for (const name of authors) await addFollow(db, user.id, 'author', name.toLowerCase());
  for (const category of categories.slice(0, 3)) await addFollow(db, user.id, 'category', category);
  for (const p of likedPapers.slice(0, 2))
    await addFollow(db, user.id, 'search', p.title.split(/\s+/).slice(0, 3).join(' '));
}

/**
 * The bench's SQLite file, kept in data/ (git-ignored) once built: importing and embedding the corpus
 * takes minutes, the runs seconds. One whose build did not finish (no `.ready` beside it) is built anew.
 */
async function benchDatabase(): Promise<{ db: Db; reused: boolean }> {
  const reused = existsSync(`${DB_FILE}.ready`);
  if (!reused)
    for (const file of readdirSync(DATA_DIR).filter((f) => f.startsWith(basename(DB_FILE))))
      rmSync(join(DATA_DIR, file));
  const db = await openDatabase(DB_FILE);
  await migrate(db);
  return { db, reused };
}

/** The first `records` papers of the corpus, as a JSONL file of their own. */
async function sampleOf(records: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-recs-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'sample.jsonl');
  const out = createWriteStream(file);
  let written = 0;
  for await (const line of corpusLines()) {
    if (written++ >= records) break;
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}
