/**
 * Feed throughput: GET /feed.xml requests/s on a realistic SQLite database (the first 3,000 papers of
 * ../shared/data/arxiv-97k.jsonl.gz featured 50 a day over 60 days), against a plain node:http
 * hello-world measured in the same run. Each server runs in its own process (this file, started with
 * `serve KIND`), autocannon in this one, all over 127.0.0.1.
 *
 * The target figure asks like a feed reader does: `Accept-Encoding: gzip, deflate, br` (browsers,
 * Feedly, NetNewsWire, Thunderbird and Zotero all send gzip; most also br), so the server sends its
 * cached compressed bytes. Also measured: the same without Accept-Encoding (the whole 112 KB
 * document), gzip only, plain node:http sending the uncompressed document from memory (what moving
 * those bytes alone costs), a 304 answer to If-None-Match, and an Atom feed with a category filter.
 * The client discards bodies unread, for every target alike: autocannon would otherwise decode each
 * body as UTF-8 text, which costs it far more for compressed bytes than for XML and would measure
 * the client instead of the server.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { appContextAround } from '../src/app/context.js';
import { loadConfig } from '../src/config/index.js';
import { UNLIMITED_VISITORS } from './lib/child-server.js';
import { openDatabase, type Db } from '../src/db/connection.js';
import { readPaperRecords } from '../src/ingest/jsonl.js';
import { createLogger } from '../src/logger.js';
import { addDays } from '../src/rank/periods.js';
import { upsertPapers, type PaperRecord } from '../src/store/papers.js';
import { buildApp } from '../src/app/server.js';
import { freshSqlite } from '../test/helpers/db.js';
import { ARXIV_97K, CLIENT_ENCODINGS, discardBodies, printResult, round } from './_common.js';

const PAPERS = 3000;
const PER_DAY = 50;
const LATEST_DAY = '2026-11-27';
const CONNECTIONS = 10;
// Short rounds, each measuring the hello-world before and after the other targets (in an order that
// rotates): on a shared machine the load drifts, and a ratio taken within one round cancels most of it.
const ROUNDS = 5;
const ROUND_SECONDS = 3;
const TARGET_RATIO = 0.4;

/** The papers featured PER_DAY a day, newest day first, with upvotes and comments spread over them. */
async function seed(db: Db): Promise<number> {
  const papers: PaperRecord[] = [];
  for await (const record of readPaperRecords(ARXIV_97K)) {
    papers.push(record);
    if (papers.length === PAPERS) break;
  }
  let days = 0;
  for (let start = 0; start < papers.length; start += PER_DAY, days++) {
    await upsertPapers(db, papers.slice(start, start + PER_DAY), { featuredOn: addDays(LATEST_DAY, -days) });
  }
  await sql`UPDATE papers SET upvotes = (rowid * 7919) % 211, num_comments = (rowid * 31) % 17`.execute(db.kysely);
  return days;
}

/**
 * Child mode: `hello` answers "hello world" at `/` and the bytes of FILE at `/same`; `app` is
 * dailypapers over the SQLite file FILE. Either reports its port to the parent.
 */
async function serve(kind: string, file: string): Promise<void> {
  if (kind === 'hello') {
    const same = readFileSync(file);
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(req.url === '/same' ? same : 'hello world');
    });
    server.listen(0, '127.0.0.1', () => process.send!((server.address() as { port: number }).port));
    return;
  }
  const config = loadConfig({
    DATABASE_URL: file,
    LOG_LEVEL: 'silent',
    SERVICES: 'web',
    SCHEDULER_ENABLED: 'false',
    ...UNLIMITED_VISITORS,
  });
  const db = await openDatabase(config.DATABASE_URL);
  const app = await buildApp(appContextAround({ db, config, logger: createLogger('silent') }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send!((app.server.address() as { port: number }).port);
}

function startServer(kind: string, file: string): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(fileURLToPath(import.meta.url), ['serve', kind, file], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (port) => resolve({ url: `http://127.0.0.1:${port}`, child }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

interface Target {
  url: string;
  headers?: Record<string, string>;
}

async function measure({
  url,
  headers = {},
}: Target): Promise<{ requestsPerSecond: number; bytesPerResponse: number }> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: ROUND_SECONDS,
    headers,
    setupClient: discardBodies,
  });
  const answered = result['2xx'] + result['3xx'];
  if (result.errors > 0 || result.non2xx > result['3xx'] || answered === 0) {
    throw new Error(`${url}: ${result.errors} errors, ${result.non2xx - result['3xx']} answers other than 2xx/3xx`);
  }
  return {
    requestsPerSecond: answered / result.duration,
    bytesPerResponse: Math.round(result.throughput.total / answered),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Per target: the median over rounds of its requests/s and of its ratio to that round's hello-world. Round 0 only warms up. */
interface Summary {
  requests_per_s: number;
  bytes_per_response: number;
  ratio_to_hello_world: number;
}

async function compare<K extends string>(
  hello: Target,
  targets: Record<K, Target>,
): Promise<{ hello: number } & Record<K, Summary>> {
  const names = Object.keys(targets) as K[];
  const rounds: Array<Record<string, number>> = [];
  const bytes: Record<string, number> = {};
  for (let round = 0; round <= ROUNDS; round++) {
    const before = await measure(hello);
    const rates: Record<string, number> = {};
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      const figures = await measure(targets[name]!);
      rates[name] = figures.requestsPerSecond;
      bytes[name] = figures.bytesPerResponse;
    }
    rates.hello = (before.requestsPerSecond + (await measure(hello)).requestsPerSecond) / 2;
    if (round > 0) rounds.push(rates);
  }
  const summary = (name: K): Summary => ({
    requests_per_s: Math.round(median(rounds.map((r) => r[name]!))),
    bytes_per_response: bytes[name]!,
    ratio_to_hello_world: round(median(rounds.map((r) => r[name]! / r.hello!)), 3),
  });
  const summaries = Object.fromEntries(names.map((name) => [name, summary(name)])) as Record<K, Summary>;
  return { hello: Math.round(median(rounds.map((r) => r.hello!))), ...summaries };
}

async function main(): Promise<void> {
  const db = await freshSqlite();
  const servers: ChildProcess[] = [];
  try {
    const days = await seed(db);
    const app = await startServer('app', db.location);
    servers.push(app.child);
    const feedUrl = `${app.url}/feed.xml`;
    const first = await fetch(feedUrl, { headers: { 'accept-encoding': 'identity' } });
    const etag = first.headers.get('etag')!;
    const documentFile = join(dirname(db.location), 'feed.xml');
    writeFileSync(documentFile, Buffer.from(await first.arrayBuffer()));
    const hello = await startServer('hello', documentFile);
    servers.push(hello.child);

    const results = await compare(
      { url: hello.url },
      {
        feed: { url: feedUrl, headers: { 'accept-encoding': CLIENT_ENCODINGS } },
        feed_uncompressed: { url: feedUrl },
        feed_gzip: { url: feedUrl, headers: { 'accept-encoding': 'gzip, deflate' } },
        same_document: { url: `${hello.url}/same` },
        not_modified: { url: feedUrl, headers: { 'accept-encoding': CLIENT_ENCODINGS, 'if-none-match': etag } },
        category_atom: { url: `${app.url}/atom.xml?category=cs.CL`, headers: { 'accept-encoding': CLIENT_ENCODINGS } },
      },
    );
    printResult({
      bench: 'feeds',
      database: { dialect: 'sqlite', papers: PAPERS, featured_days: days, per_day: PER_DAY },
      connections: CONNECTIONS,
      rounds: ROUNDS,
      seconds_each: ROUND_SECONDS,
      anchor: { what: 'node:http hello world', requests_per_s: results.hello },
      client: `autocannon, bodies discarded unread; sends Accept-Encoding: ${CLIENT_ENCODINGS} where noted, as feed readers do`,
      '/feed.xml': { what: `Accept-Encoding: ${CLIENT_ENCODINGS} (brotli answer)`, ...results.feed },
      '/feed.xml uncompressed': { what: 'no Accept-Encoding', ...results.feed_uncompressed },
      '/feed.xml gzip': { what: 'Accept-Encoding: gzip, deflate', ...results.feed_gzip },
      same_document: { what: 'node:http sending the uncompressed document from memory', ...results.same_document },
      '/feed.xml 304': {
        what: `If-None-Match with the current ETag, Accept-Encoding: ${CLIENT_ENCODINGS}`,
        ...results.not_modified,
      },
      '/atom.xml?category=cs.CL': { what: `Accept-Encoding: ${CLIENT_ENCODINGS}`, ...results.category_atom },
      target: `/feed.xml as feed readers ask for it at least ${TARGET_RATIO * 100}% of hello world`,
      target_met: results.feed.ratio_to_hello_world >= TARGET_RATIO,
    });
  } finally {
    for (const child of servers) child.kill();
    await db.close();
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3]!, process.argv[4]!);
else await main();
