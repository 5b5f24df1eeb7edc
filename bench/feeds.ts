/**
 * Feed throughput: GET /feed.xml requests/s on a realistic SQLite database (a few thousand real
 * arXiv papers featured 50 a day), next to a plain node:http hello-world measured in the same run.
 * Each server runs in its own process; autocannon drives them from this one over 127.0.0.1.
 * Prints one JSON object. BENCH_SECONDS (default 10) sets each measurement's length.
 */
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
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
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;
/** What feed readers send: they all accept gzip. */
const READER = { 'accept-encoding': 'gzip' };

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

/** Child process roles: a server that reports its port to the parent. */
async function serve(role: string, dbPath: string | undefined): Promise<void> {
  if (role === 'hello') {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello world');
    });
    server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
    return;
  }
  const config = loadConfig({ DATABASE_URL: dbPath!, LOG_LEVEL: 'silent', SERVICES: 'web' });
  const db = await openDatabase(config.DATABASE_URL);
  const app = await buildApp({ db, config, logger: createLogger('silent') });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send!({ port: (app.server.address() as { port: number }).port });
}

function start(role: string, dbPath = ''): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), [role, dbPath], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: `http://127.0.0.1:${(m as { port: number }).port}` }));
    child.once('exit', (code) => reject(new Error(`${role} server exited with ${code}`)));
  });
}

async function measure(url: string, headers: Record<string, string> = {}, seconds = SECONDS) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, headers });
  const ok = result['2xx'] + result['3xx'];
  if (result.errors > 0 || result.non2xx - result['3xx'] > 0 || ok === 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  }
  return {
    requestsPerSecond: Math.round(ok / result.duration),
    bytesPerResponse: Math.round(result.throughput.total / ok),
    latencyP99Ms: result.latency.p99,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-'));
  const dbPath = join(dir, 'bench.db');
  const servers: ChildProcess[] = [];
  try {
    const db = await openDatabase(dbPath);
    const days = await seedDatabase(db);
    await db.close();

    const hello = await start('hello');
    const app = await start('app', dbPath);
    servers.push(hello.child, app.child);
    const feedUrl = `${app.url}/feed.xml`;
    const etag = (await fetch(feedUrl)).headers.get('etag')!;
    // Warm both up (JIT, the feed cache), then measure hello-world before and after the feeds to even out drift.
    await measure(hello.url, {}, 2);
    await measure(feedUrl, READER, 2);

    const helloBefore = await measure(hello.url);
    const feed = await measure(feedUrl, READER);
    const feedIdentity = await measure(feedUrl);
    const notModified = await measure(feedUrl, { ...READER, 'if-none-match': etag });
    const category = await measure(`${app.url}/atom.xml?category=cs.CL`, READER);
    const helloAfter = await measure(hello.url);
    const helloRps = Math.round((helloBefore.requestsPerSecond + helloAfter.requestsPerSecond) / 2);
    const ratio = (m: { requestsPerSecond: number }) => +(m.requestsPerSecond / helloRps).toFixed(3);

    console.log(
      JSON.stringify(
        {
          benchmark: 'feeds',
          database: { dialect: 'sqlite', papers: PAPERS, featuredDays: days, perDay: PER_DAY },
          connections: CONNECTIONS,
          seconds: SECONDS,
          anchor: { name: 'node:http hello-world', requestsPerSecond: helloRps, before: helloBefore, after: helloAfter },
          feed: { path: '/feed.xml', headers: READER, ...feed, ratioToHelloWorld: ratio(feed) },
          feedUncompressed: { path: '/feed.xml', ...feedIdentity, ratioToHelloWorld: ratio(feedIdentity) },
          notModified: { path: '/feed.xml', headers: { 'if-none-match': etag }, ...notModified, ratioToHelloWorld: ratio(notModified) },
          categoryAtom: { path: '/atom.xml?category=cs.CL', ...category, ratioToHelloWorld: ratio(category) },
          target: { feedRatioToHelloWorld: 0.4, met: ratio(feed) >= 0.4 },
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

const [role, dbPath] = process.argv.slice(2);
if (role) await serve(role, dbPath);
else await main();
