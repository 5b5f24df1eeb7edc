import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { planDigests } from '../../src/digest/plan.js';
import { newToken, hashToken } from '../../src/community/tokens.js';
import { enqueueJob } from '../../src/store/jobs.js';
import { countOutbox } from '../../src/store/outbox.js';
import { createApiToken, createUser } from '../../src/store/users.js';
import { databaseUrl, freshPostgres } from '../helpers/db.js';
import { freePort, startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { activeSubscriber, digestConfig, featurePapers } from '../digest/fixtures.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const CLIENTS = 16;
const LOAD_MS = 7000;
const KILL_AT_MS = 2500;
const SUBSCRIBERS = 60;
const DAY = '2026-11-30';

interface Outcome {
  client: number;
  startedAt: number;
  endedAt: number;
  /** The HTTP status, or 0 when the request failed without one. */
  status: number;
}

/** deploy/nginx.conf as shipped, pointed at this run's ports. */
function nginxConfig(listenPort: number, webPorts: [number, number]): string {
  const shipped = readFileSync(new URL('../../deploy/nginx.conf', import.meta.url), 'utf8');
  const config = shipped
    .replace('listen 127.0.0.1:8080;', `listen 127.0.0.1:${listenPort};`)
    .replace('server 127.0.0.1:3001 ', `server 127.0.0.1:${webPorts[0]} `)
    .replace('server 127.0.0.1:3002 ', `server 127.0.0.1:${webPorts[1]} `);
  expect(config).not.toBe(shipped);
  return config;
}

async function startNginx(prefix: string, config: string, url: string): Promise<ChildProcess> {
  writeFileSync(join(prefix, 'nginx.conf'), config);
  const child = spawn(
    '/usr/sbin/nginx',
    ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `daemon off; pid ${prefix}/nginx.pid; error_log stderr;`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    if (i > 100) throw new Error(`nginx did not answer: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a cluster: nginx, 2 web, 2 worker and 2 scheduler processes on one PostgreSQL', () => {
  let db: Db;
  let dir: string;
  let sink: SmtpSink;
  let nginx: ChildProcess;
  let nginxUrl: string;
  const processes: Record<string, ServeProcess> = {};
  let paperIds: string[];
  const tokens: string[] = [];

  beforeAll(async () => {
    if (!adminUrl)
      throw new Error('The cluster suite needs a PostgreSQL server: set TEST_DATABASE_URL (.ci/run does).');
    db = await freshPostgres(adminUrl, { poolSize: 4 });
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-cluster-'));
    // A slow mail server: sending the digests takes long enough to kill a worker in the middle of it.
    sink = await startSmtpSink({ acceptDelayMs: 60 });
    paperIds = await featurePapers(
      db,
      DAY,
      [1, 2, 3, 4, 5].map(() => ({})),
    );
    const old = new Date(Date.now() - 86_400_000);
    for (let i = 0; i < CLIENTS; i++) {
      const user = await createUser(db, {
        email: `voter${i}@example.org`,
        username: `voter${i}`,
        passwordHash: 'x',
        role: 'member',
        now: old,
      });
      const token = newToken('dp_');
      await createApiToken(db, user.id, 'load', hashToken(token));
      tokens.push(token);
    }
    for (let i = 0; i < SUBSCRIBERS; i++) await activeSubscriber(db, `reader${i}@example.org`);

    const base = {
      DATABASE_URL: databaseUrl(db),
      SECRET_KEY: 'cluster-test-secret-0123456789',
      SMTP_URL: sink.url,
      SMTP_TIMEOUT_SECONDS: '5',
      JOB_LEASE_MS: '2000',
      SHUTDOWN_TIMEOUT_MS: '1000',
      RATE_LIMIT_VOTE: '100000,100000/1m',
      API_LIMIT_PER_IP: '100000/1m',
      TRUST_PROXY: 'loopback',
      ARXIV_INGEST_ENABLED: 'false',
      LOG_LEVEL: 'info',
    };
    // Without a mail server the schedulers plan no digests of their own: this test plans one period.
    const { SMTP_URL: _mail, ...scheduler } = base;
    const webPorts: [number, number] = [await freePort(), await freePort()];
    // Two at a time: six Node processes starting at once on a two-core machine take longer than one by one.
    const started: ServeProcess[] = [];
    for (const pair of [
      [
        { ...base, SERVICES: 'web', PORT: String(webPorts[0]) },
        { ...base, SERVICES: 'web', PORT: String(webPorts[1]) },
      ],
      [
        { ...base, SERVICES: 'worker' },
        { ...base, SERVICES: 'worker' },
      ],
      [
        { ...scheduler, SERVICES: 'scheduler', SCHEDULER_ENABLED: 'true' },
        { ...scheduler, SERVICES: 'scheduler', SCHEDULER_ENABLED: 'true' },
      ],
    ]) {
      started.push(...(await Promise.all(pair.map((env) => startServeProcess(env)))));
    }
    ['web1', 'web2', 'worker1', 'worker2', 'scheduler1', 'scheduler2'].forEach((name, i) => {
      processes[name] = started[i]!;
    });
    const port = await freePort();
    nginxUrl = `http://127.0.0.1:${port}`;
    nginx = await startNginx(dir, nginxConfig(port, webPorts), nginxUrl);
  }, 120_000);
  afterAll(async () => {
    nginx?.kill('SIGTERM');
    for (const served of Object.values(processes)) served.child.kill('SIGKILL');
    await sink?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('survives a web process and a worker SIGKILLed under votes, page views and digest sending', {
    timeout: 120_000,
  }, async () => {
    // Digests for 60 subscribers, sent by whichever worker takes the job.
    const planned = await planDigests(db, digestConfig(), 'daily', DAY);
    expect(planned).toMatchObject({ planned: SUBSCRIBERS });
    await enqueueJob(db, 'digest.send', {});

    const outcomes: Outcome[] = [];
    const start = Date.now();
    const client = async (n: number) => {
      const paper = paperIds[n % paperIds.length]!;
      const auth = { authorization: `Bearer ${tokens[n]}` };
      const requests: [string, string, Record<string, string>][] = [
        ['PUT', `/api/votes/${paper}`, auth],
        ['GET', '/', {}],
        ['DELETE', `/api/votes/${paper}`, auth],
        ['GET', `/papers/${paper}`, {}],
      ];
      for (let i = 0; Date.now() - start < LOAD_MS; i++) {
        const [method, path, headers] = requests[i % requests.length]!;
        const startedAt = Date.now();
        const status = await fetch(`${nginxUrl}${path}`, { method, headers, signal: AbortSignal.timeout(10_000) }).then(
          async (r) => {
            await r.arrayBuffer();
            return r.status;
          },
          () => 0,
        );
        outcomes.push({ client: n, startedAt, endedAt: Date.now(), status });
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    await new Promise((resolve) => setTimeout(resolve, KILL_AT_MS));
    const sentBeforeKill = sink.count();
    const killedAt = Date.now();
    processes.web1!.child.kill('SIGKILL');
    processes.worker1!.child.kill('SIGKILL');
    await load;

    // Only requests in flight on the killed process failed (at most one per client), and the survivors kept serving.
    const failed = outcomes.filter((o) => o.status >= 500 || o.status === 0);
    const inFlightAtKill = failed.filter((o) => o.startedAt <= killedAt + 50 && o.endedAt >= killedAt - 50);
    expect(failed).toEqual(inFlightAtKill);
    expect(failed.length).toBeLessThanOrEqual(CLIENTS);
    const afterKill = outcomes.filter((o) => o.startedAt > killedAt + 100);
    expect(afterKill.length).toBeGreaterThanOrEqual(CLIENTS);
    // A vote in flight that nginx retried on the survivor finds it done: 409, as a repeated vote is told.
    const unexpected = outcomes.filter((o) => ![200, 409].includes(o.status) && !failed.includes(o));
    expect(unexpected).toEqual([]);
    expect(afterKill.every((o) => o.status === 200 || o.status === 409)).toBe(true);

    // Vote counts equal their rows.
    const counts = await db.kysely
      .selectFrom('papers')
      .select(['id', 'upvotes'])
      .select((eb) =>
        eb
          .selectFrom('votes')
          .whereRef('votes.paper_id', '=', 'papers.id')
          .where('votes.counted', '=', 1)
          .select((v) => v.fn.countAll<number>().as('n'))
          .as('rows'),
      )
      .execute();
    for (const paper of counts) expect(paper.upvotes, paper.id).toBe(Number(paper.rows));

    // The killed worker's digest job was leased again and run by the other, and what the killed worker had
    // claimed went out once its outbox lease (JOB_LEASE_MS) ended: every digest is sent, each once.
    await waitFor(async () => {
      const job = await db.kysely.selectFrom('jobs').selectAll().where('kind', '=', 'digest.send').executeTakeFirst();
      return job?.done_at != null;
    }, 30_000);
    await waitFor(async () => (await countOutbox(db)).sent === SUBSCRIBERS, 15_000);
    const perRecipient = new Map<string, Set<string>>();
    for (const mail of sink.received) {
      for (const to of mail.envelopeTo)
        perRecipient.set(to, (perRecipient.get(to) ?? new Set()).add(mail.messageId ?? mail.raw));
    }
    expect([...perRecipient.values()].filter((ids) => ids.size > 1)).toEqual([]);
    expect(perRecipient.size).toBe(SUBSCRIBERS);
    expect(sentBeforeKill).toBeLessThan(SUBSCRIBERS);

    // Exactly one scheduler led and planned the recurring jobs, each once.
    const leaders = ['scheduler1', 'scheduler2'].filter((name) =>
      processes[name]!.output().includes('this scheduler leads'),
    );
    expect(leaders).toHaveLength(1);
    const recurring = await db.kysely
      .selectFrom('jobs')
      .select(['kind', 'unique_key'])
      .where('kind', 'in', ['rank.trending', 'community.prune', 'search.embed'])
      .execute();
    expect(recurring.map((j) => j.kind).sort()).toEqual(['community.prune', 'rank.trending', 'search.embed']);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
