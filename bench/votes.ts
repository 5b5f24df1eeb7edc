/**
 * Vote load test: 200 concurrent clients, each with its own account and API token, voting and
 * unvoting the same few papers over loopback for 30 s. It must end with every paper's upvote count
 * equal to its rows in the votes table and no 5xx answer. The anchor is a plain node:http
 * hello-world server driven by the same clients in the same run, so the figure is a ratio.
 *
 *   node --import tsx bench/votes.ts          (BENCH_SECONDS=5 for a quick run;
 *   BENCH_DATABASE_URL=postgres://… to run against a fresh database on that PostgreSQL server
 *   instead of a fresh SQLite file)
 */
import { createServer, request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appContextAround } from '../src/app/context.js';
import { issueApiToken } from '../src/community/accounts.js';
import { loadConfig } from '../src/config/index.js';
import { createLogger } from '../src/logger.js';
import { upsertPapers } from '../src/store/papers.js';
import { createUser } from '../src/store/users.js';
import { papersWithDriftedCounts } from '../src/store/votes.js';
import { buildApp } from '../src/app/server.js';
import { freshPostgres, freshSqlite } from '../test/helpers/db.js';

const CLIENTS = 200;
const PAPERS = 5;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ANCHOR_SECONDS = Math.min(10, SECONDS);

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

function send(url: string, method: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `clients` loops of `step` until the deadline; returns the number of completed requests. */
async function drive(
  clients: number,
  seconds: number,
  step: (client: number) => Promise<void>,
): Promise<{ requests: number; seconds: number }> {
  const deadline = Date.now() + seconds * 1000;
  let requests = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < deadline) {
        await step(client);
        requests++;
      }
    }),
  );
  return { requests, seconds: (performance.now() - started) / 1000 };
}

async function anchor(): Promise<number> {
  const server = createServer((_req, res) => res.end('hello world'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const run = await drive(CLIENTS, ANCHOR_SECONDS, async () => {
    await send(url, 'GET');
  });
  await new Promise((resolve) => server.close(resolve));
  return run.requests / run.seconds;
}

async function main(): Promise<void> {
  const postgresUrl = process.env.BENCH_DATABASE_URL;
  const db = postgresUrl ? await freshPostgres(postgresUrl, { poolSize: 20 }) : await freshSqlite();
  const config = loadConfig({
    DATABASE_URL: db.location,
    LOG_LEVEL: 'silent',
    NEW_ACCOUNT_DELAY_MINUTES: '0',
    // Every client votes as fast as it can: limits this loose only apply in the benchmark.
    RATE_LIMIT_VOTE: '1000000,1000000/1d',
  });
  const today = new Date().toISOString().slice(0, 10);
  const suffix = String(Date.now()).slice(-5);
  const paperIds = Array.from({ length: PAPERS }, (_, i) => `2601.${suffix}${i}`.slice(0, 10));
  await upsertPapers(
    db,
    paperIds.map((id, i) => ({
      id,
      title: `Benchmark paper ${i}`,
      abstract: 'Voted on by many.',
      authors: [{ name: 'Bench' }],
      categories: ['cs.LG'],
      publishedOn: today,
    })),
    { featuredOn: today },
  );
  const tokens: string[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const user = await createUser(db, {
      email: `bench${suffix}-${i}@example.org`,
      username: `bench${suffix}-${i}`,
      passwordHash: null,
    });
    tokens.push((await issueApiToken(db, user.id, 'bench')).token);
  }

  const anchorRate = await anchor();

  const ctx = appContextAround({ db, config, logger: createLogger('silent') });
  const app = await buildApp(ctx);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const statuses = new Map<number, number>();
  const voted = tokens.map(() => new Set<string>());
  let turn = 0;
  const run = await drive(CLIENTS, SECONDS, async (client) => {
    const paper = paperIds[(client + turn++) % PAPERS]!;
    const up = !voted[client]!.has(paper);
    const status = await send(`${base}/api/votes/${paper}`, up ? 'PUT' : 'DELETE', {
      authorization: `Bearer ${tokens[client]}`,
    });
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status === 200) {
      if (up) voted[client]!.add(paper);
      else voted[client]!.delete(paper);
    }
  });
  await app.close();
  await ctx.close();

  const drift = await papersWithDriftedCounts(db);
  const rows = await db.kysely
    .selectFrom('votes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const expected = voted.reduce((sum, set) => sum + set.size, 0);
  const serverErrors = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
  const votesPerSecond = run.requests / run.seconds;
  const result = {
    bench: 'votes',
    database: db.dialect,
    clients: CLIENTS,
    papers: PAPERS,
    seconds: Number(run.seconds.toFixed(1)),
    requests: run.requests,
    votesPerSecond: Math.round(votesPerSecond),
    statuses: Object.fromEntries(statuses),
    serverErrors,
    voteRows: Number(rows.n),
    voteRowsExpectedByClients: expected,
    papersWithDriftedCounts: drift.length,
    anchor: { name: 'node:http hello-world, same clients', requestsPerSecond: Math.round(anchorRate) },
    ratioToAnchor: Number((votesPerSecond / anchorRate).toFixed(4)),
  };
  console.log(JSON.stringify(result));
  await db.close();
  agent.destroy();
  if (serverErrors > 0 || drift.length > 0 || Number(rows.n) !== expected) process.exitCode = 1;
}

await main();
