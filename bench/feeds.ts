/**
 * Feed throughput: GET /feed.xml requests/s on a realistic SQLite database (a few thousand real
 * arXiv papers featured 50 a day), next to a plain node:http hello-world measured in the same run.
 * Each server runs in its own process; autocannon drives them from this one over 127.0.0.1.
 * Also measured: plain node:http sending the same document (what moving the bytes alone costs),
 * the gzipped feed (autocannon decodes every body as UTF-8 text, which costs the client far more
 * for binary gzip than for XML, so that figure understates the server), a 304, and an Atom filter.
 * Prints one JSON object. BENCH_ROUNDS (default 5) and BENCH_SECONDS (default 3, per measurement)
 * set its length.
 */
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { sql } from 'kysely';
import { loadConfig } from '../src/config/index.js';
import { openDatabase, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrations/index.js';
import { createLogger } from '../src/logger.js';
import { addDays } from '../src/rank/periods.js';
import { upsertPapers, type PaperRecord } from '../src/store/papers.js';
import { buildApp } from '../src/web/app.js';

const DATA = fileURLToPath(new URL('../../shared/data/arxiv-97k.jsonl.gz', import.meta.url));
const PAPERS = 3000;
const PER_DAY = 50;
const LATEST_DAY = '2026-11-27';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUND_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = 10;

interface ImportLine {
  id: string;
  title: string;
  abstract: string;
  authors?: string[];
  categories?: string[];
  published?: string;
}

async function readPapers(limit: number): Promise<PaperRecord[]> {
  const lines = createInterface({ input: createReadStream(DATA).pipe(createGunzip()), crlfDelay: Infinity });
  const records: PaperRecord[] = [];
  for await (const line of lines) {
    const p = JSON.parse(line) as ImportLine;
    records.push({
      id: p.id,
      title: p.title,
      abstract: p.abstract,
      authors: (p.authors ?? []).map((name) => ({ name })),
      categories: p.categories ?? [],
      publishedOn: p.published ?? null,
    });
    if (records.length === limit) break;
  }
  lines.close();
  return records;
}

/** The papers featured PER_DAY a day, newest day first, with upvotes and comments spread over them. */
async function seedDatabase(db: Db): Promise<number> {
  await migrate(db);
  const papers = await readPapers(PAPERS);
  let days = 0;
  for (let start = 0; start < papers.length; start += PER_DAY, days++) {
    await upsertPapers(db, papers.slice(start, start + PER_DAY), { featuredOn: addDays(LATEST_DAY, -days) });
  }
  await sql`UPDATE papers SET upvotes = (rowid * 7919) % 211, num_comments = (rowid * 31) % 17`.execute(db.kysely);
  return days;
}

/**
 * Child process roles, each a server that reports its port to the parent: `hello` (the anchor: `/`
 * answers "hello world", `/same` the bytes of the file it was given, to show what moving a feed's
 * bytes alone costs) and `app` (dailypapers over the SQLite file it was given).
 */
async function serve(role: string, file: string): Promise<void> {
  if (role === 'hello') {
    const same = file ? readFileSync(file) : Buffer.alloc(0);
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(req.url === '/same' ? same : 'hello world');
    });
    server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
    return;
  }
  const config = loadConfig({ DATABASE_URL: file, LOG_LEVEL: 'silent', SERVICES: 'web' });
  const db = await openDatabase(config.DATABASE_URL);
  const app = await buildApp({ db, config, logger: createLogger('silent') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send!({ port: (app.server.address() as { port: number }).port });
}

function start(role: string, file: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [role, file], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${(m as { port: number }).port}` }));
    child.once('exit', (code) => reject(new Error(`${role} server exited with ${code}`)));
  });
}

interface Target {
  url: string;
  headers: Record<string, string>;
}

async function measure({ url, headers }: Target): Promise<{ requestsPerSecond: number; bytesPerResponse: number }> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: ROUND_SECONDS, headers });
  const ok = result['2xx'] + result['3xx'];
  if (result.errors > 0 || result.non2xx - result['3xx'] > 0 || ok === 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  }
  return { requestsPerSecond: ok / result.duration, bytesPerResponse: Math.round(result.throughput.total / ok) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Short rounds, each measuring the hello-world before and after the other targets (in an order
 * that rotates), then per target the median over rounds of its ratio to its round's hello-world:
 * on a shared machine the load drifts, and a ratio within one round cancels most of it.
 * Round 0 warms up the JIT and the feed cache and is not counted.
 */
async function compare(hello: Target, targets: Record<string, Target>) {
  const names = Object.keys(targets);
  const rounds: Array<Record<string, { requestsPerSecond: number; ratio: number }>> = [];
  const bytes: Record<string, number> = {};
  for (let round = 0; round <= ROUNDS; round++) {
    const before = await measure(hello);
    const measured: Record<string, number> = {};
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      const figures = await measure(targets[name]!);
      measured[name] = figures.requestsPerSecond;
      bytes[name] = figures.bytesPerResponse;
    }
    measured.helloWorld = (before.requestsPerSecond + (await measure(hello)).requestsPerSecond) / 2;
    if (round > 0) rounds.push(Object.fromEntries(Object.entries(measured).map(([k, rps]) => [k, { requestsPerSecond: rps, ratio: rps / measured.helloWorld! }])));
  }
  const summary = (name: string) => ({
    requestsPerSecond: Math.round(median(rounds.map((r) => r[name]!.requestsPerSecond))),
    bytesPerResponse: bytes[name],
    ratioToHelloWorld: +median(rounds.map((r) => r[name]!.ratio)).toFixed(3),
  });
  return { helloWorld: summary('helloWorld').requestsPerSecond, ...Object.fromEntries(names.map((n) => [n, summary(n)])) } as {
    helloWorld: number;
  } & Record<string, ReturnType<typeof summary>>;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-'));
  const dbPath = join(dir, 'bench.db');
  const servers: ChildProcess[] = [];
  try {
    const db = await openDatabase(dbPath);
    const days = await seedDatabase(db);
    await db.close();

    const app = await start('app', dbPath);
    servers.push(app.child);
    const feedUrl = `${app.url}/feed.xml`;
    const first = await fetch(feedUrl, { headers: { 'accept-encoding': 'identity' } });
    const etag = first.headers.get('etag')!;
    const documentFile = join(dir, 'feed.xml');
    writeFileSync(documentFile, Buffer.from(await first.arrayBuffer()));
    const hello = await start('hello', documentFile);
    servers.push(hello.child);

    const results = await compare(
      { url: hello.url, headers: {} },
      {
        feed: { url: feedUrl, headers: {} },
        sameBytes: { url: `${hello.url}/same`, headers: {} },
        feedGzip: { url: feedUrl, headers: { 'accept-encoding': 'gzip' } },
        notModified: { url: feedUrl, headers: { 'if-none-match': etag } },
        categoryAtom: { url: `${app.url}/atom.xml?category=cs.CL`, headers: {} },
      },
    );

    console.log(
      JSON.stringify(
        {
          benchmark: 'feeds',
          database: { dialect: 'sqlite', papers: PAPERS, featuredDays: days, perDay: PER_DAY },
          connections: CONNECTIONS,
          rounds: ROUNDS,
          secondsPerMeasurement: ROUND_SECONDS,
          anchor: { name: 'node:http hello-world', requestsPerSecond: results.helloWorld },
          feed: { path: '/feed.xml', ...results.feed },
          sameBytes: { name: 'node:http sending the same document from memory', ...results.sameBytes },
          feedGzip: { path: '/feed.xml', headers: { 'accept-encoding': 'gzip' }, ...results.feedGzip },
          notModified: { path: '/feed.xml', headers: { 'if-none-match': etag }, ...results.notModified },
          categoryAtom: { path: '/atom.xml?category=cs.CL', ...results.categoryAtom },
          target: { feedRatioToHelloWorld: 0.4, met: results.feed!.ratioToHelloWorld >= 0.4 },
        },
        null,
        2,
      ),
    );
  } finally {
    for (const child of servers) child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [role, file] = process.argv.slice(2);
if (role) await serve(role, file ?? '');
else await main();
