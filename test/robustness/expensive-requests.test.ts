import { once } from 'node:events';
import { connect } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { createLogger } from '../../src/logger.js';
import { featurePapers } from '../factories/papers.js';
import { seedSearchCorpus } from '../factories/search.js';
import { databaseUrl, freshPostgres, testDatabases } from '../helpers/db.js';
import { serveFreshDatabase, startTestServer, type TestServer } from '../helpers/server.js';

const CATEGORIES = Array.from({ length: 21 }, (_, i) => `cs.C${String.fromCharCode(65 + i)}`);

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe.each(testDatabases())('expensive requests on $dialect', ({ create }) => {
  const web = serveFreshDatabase(create, async (db) => {
    await seedSearchCorpus(db);
    await featurePapers(
      db,
      Array.from({ length: 3 }, () => ({ day: '2026-11-27' })),
    );
  });
  const fetchPath = (path: string) => get(`${web.server.url}${path}`);

  it('refuses a page of the daily papers deeper than 5000 with a 400 naming it, and serves the deepest', async () => {
    const deep = await fetchPath('/api/daily_papers?p=900&sort=trending');
    expect(deep.status).toBe(400);
    expect(JSON.parse(deep.text).error).toMatch(/^p: .*first 5000/);
    expect((await fetchPath('/api/daily_papers?p=100&limit=50&sort=trending')).status).toBe(200);
    const page = await fetchPath('/papers/date/2026-11-27?page=900');
    expect(page.status).toBe(400);
    expect(page.text).toContain('from 1 to 101');
  });

  it('refuses more than 20 categories, given as a parameter or typed as cat: in the query', async () => {
    const many = await fetchPath(`/api/papers/search?q=attention&category=${CATEGORIES.join('+')}`);
    expect(many.status).toBe(400);
    expect(JSON.parse(many.text).error).toMatch(/^category: .*at most 20 categories/);
    const typed = `q=${encodeURIComponent(
      `attention ${CATEGORIES.slice(0, 10)
        .map((c) => `cat:${c}`)
        .join(' ')}`,
    )}`;
    const mixed = await fetchPath(`/api/papers/search?${typed}&category=${CATEGORIES.slice(10).join('+')}`);
    expect(mixed.status).toBe(400);
    expect(JSON.parse(mixed.text).error).toContain('at most 20 categories');
    expect((await fetchPath(`/search?q=attention&category=${CATEGORIES.join('+')}`)).status).toBe(400);
    expect((await fetchPath(`/feed.xml?category=${CATEGORIES.join('+')}`)).status).toBe(400);
  });

  it('refuses an author filter without a word of two letters, as a parameter or typed as au:', async () => {
    const single = await fetchPath('/api/papers/search?q=attention&author=a');
    expect(single.status).toBe(400);
    expect(JSON.parse(single.text).error).toBe('author: an author filter must have a word of at least 2 letters');
    expect((await fetchPath('/api/papers/search?q=attention+au:a')).status).toBe(400);
    expect((await fetchPath('/search?q=attention&author=a')).status).toBe(400);
    expect((await fetchPath('/api/papers/search?q=attention&author=lovelace+a')).status).toBe(200);
  });
});

describe.each(testDatabases())('per-IP limits for strangers on $dialect', ({ create }) => {
  const limits = { TRUST_PROXY: 'true', SEARCH_LIMIT_PER_IP: '3/1h', API_LIMIT_PER_IP: '5/1h' };
  const web = serveFreshDatabase(create, seedSearchCorpus, limits);
  const from = (ip: string, path: string) => get(`${web.server.url}${path}`, { 'x-forwarded-for': ip });

  it('answers 429 with Retry-After after the burst of searches, and another address still searches', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await from('203.0.113.7', `/api/papers/search?q=attention${i}`)).status).toBe(200);
    }
    const refused = await from('203.0.113.7', '/search?q=graph');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.text).toContain('Too many searches');
    const api = await from('203.0.113.7', '/api/papers/search?q=graph');
    expect(api.status).toBe(429);
    expect(JSON.parse(api.text).error).toMatch(/^Too many searches from your address/);
    expect((await from('198.51.100.2', '/api/papers/search?q=graph')).status).toBe(200);
  });

  it('limits API and feed requests apart from searches, and leaves the reading pages open', async () => {
    const ip = '203.0.113.8';
    for (let i = 0; i < 5; i++) expect((await from(ip, i % 2 ? '/feed.xml' : '/api/daily_papers')).status).toBe(200);
    expect((await from(ip, '/atom.xml')).status).toBe(429);
    expect((await from(ip, '/api/papers/search?q=graph')).status).toBe(200);
    expect((await from(ip, '/')).status).toBe(200);
    expect((await from('198.51.100.3', '/api/daily_papers')).status).toBe(200);
  });
});

/** Sends a whole request over a raw socket and hangs up before the answer, as an impatient client does. */
async function sendAndHangUp(url: string, path: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  socket.end(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
  socket.destroy();
}

describe.each(testDatabases())('searches, API and feed requests taking turns on $dialect', ({ create }) => {
  const web = serveFreshDatabase(create, seedSearchCorpus, { READ_CONCURRENCY: '1' });
  const fetchPath = (path: string) => get(`${web.server.url}${path}`);

  it('answers every one of a burst of searches, each as it answers alone', async () => {
    const alone = await fetchPath('/api/papers/search?q=attention');
    expect(JSON.parse(alone.text).length).toBeGreaterThan(0);
    const burst = await Promise.all(Array.from({ length: 20 }, () => fetchPath('/api/papers/search?q=attention')));
    for (const answer of burst) expect([answer.status, answer.text]).toEqual([200, alone.text]);
  });

  it('gives the turn of a client that hung up to the next one', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => sendAndHangUp(web.server.url, `/api/papers/search?q=graph${i}`)),
    );
    const after = await Promise.all([fetchPath('/api/papers/search?q=attention'), fetchPath('/feed.xml')]);
    expect(after.map((answer) => answer.status)).toEqual([200, 200]);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('a full line of searches waiting their turn on PostgreSQL', () => {
  let db: Db;
  let server: TestServer;
  let locker: pg.Client;
  beforeAll(async () => {
    db = await freshPostgres(process.env.TEST_DATABASE_URL!);
    await seedSearchCorpus(db);
    server = await startTestServer(db, { READ_CONCURRENCY: '1', SEARCH_LIMIT_PER_IP: '1000/1m' });
    locker = new pg.Client({ connectionString: databaseUrl(db) });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await server?.close();
    await db?.close();
  });

  it('turns the next away with 503 and Retry-After, serves pages meanwhile, and answers the rest', async () => {
    // The papers table held by another session keeps the one search in progress waiting, and the line behind it.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE papers IN ACCESS EXCLUSIVE MODE');
    const search = () => get(`${server.url}/api/papers/search?q=attention`);
    const inProgressAndWaiting = Array.from({ length: 101 }, search);
    // Until all of them are in line, one more joins it (and is answered later); once the line is full, it is refused.
    let turnedAway: Awaited<ReturnType<typeof search>> | null = null;
    while (!turnedAway) {
      const probe = search();
      turnedAway = await Promise.race([probe, new Promise<null>((resolve) => setTimeout(() => resolve(null), 300))]);
      if (!turnedAway) inProgressAndWaiting.push(probe);
    }
    const page = await get(`${server.url}/login`);
    await locker.query('ROLLBACK');
    expect(turnedAway.status).toBe(503);
    expect(turnedAway.headers.get('retry-after')).toBe('1');
    expect(JSON.parse(turnedAway.text).error).toBe('The server is busy. Try again in a second.');
    expect(page.status).toBe(200);
    const answered = await Promise.all(inProgressAndWaiting);
    expect(answered.map((answer) => answer.status)).toEqual(inProgressAndWaiting.map(() => 200));
  });
});

describe.each(testDatabases())('a client that trickles its request on $dialect', ({ create }) => {
  const web = serveFreshDatabase(create, async () => {}, { REQUEST_TIMEOUT_MS: '300' });

  it('gets 408 and its socket closed once REQUEST_TIMEOUT_MS has passed, while others are served', async () => {
    const { hostname, port } = new URL(web.server.url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\n`);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    // One header line every 50 ms: never idle, never done.
    const trickle = setInterval(() => socket.writable && socket.write('x-slow: 1\r\n'), 50);
    const meanwhile = await get(`${web.server.url}/healthz`);
    await once(socket, 'close');
    clearInterval(trickle);
    expect(meanwhile.status).toBe(200);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('a PostgreSQL statement past the timeout', () => {
  let db: Db;
  let serving: AppContext;
  let server: TestServer;
  let locker: pg.Client;
  beforeAll(async () => {
    db = await freshPostgres(process.env.TEST_DATABASE_URL!);
    await seedSearchCorpus(db);
    const env = { DATABASE_URL: databaseUrl(db), STATEMENT_TIMEOUT_MS: '300', LOG_LEVEL: 'silent' };
    const config = loadConfig(env);
    serving = await openAppContext(config, createLogger('silent'), { serving: true });
    server = await startTestServer(serving.webDb, env);
    locker = new pg.Client({ connectionString: databaseUrl(db) });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await server?.close();
    await serving?.close();
    await db?.close();
  });

  it('answers 503 saying why, and the next request works', async () => {
    // Another session holds the papers table, so any statement reading it waits past the timeout.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE papers IN ACCESS EXCLUSIVE MODE');
    const search = () => get(`${server.url}/api/papers/search?q=attention`);
    const stalled = await Promise.all(Array.from({ length: 6 }, search));
    await locker.query('ROLLBACK');
    for (const answer of stalled) {
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.text).error).toContain('needed more work than the server allows');
    }
    const next = await search();
    expect(next.status).toBe(200);
    expect(JSON.parse(next.text).length).toBeGreaterThan(0);
  });
});
