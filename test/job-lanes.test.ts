import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';
import { openDatabase, type Db } from '../src/db/connection.js';
import { migrate } from '../src/db/migrations/index.js';
import { requestSubscription } from '../src/digest/subscribe.js';
import { laneSlots } from '../src/jobs/lanes.js';
import { jobHandlers } from '../src/jobs/tasks.js';
import { Worker } from '../src/jobs/worker.js';
import { enqueueJob } from '../src/store/jobs.js';
import { cliBin } from './helpers/cli.js';
import { testDatabases } from './helpers/db.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp.js';
import { appContextAround } from '../src/app/context.js';

const SECRET = 'job-lanes-test-secret-0123456789';
const logger = pino({ level: 'silent' });

/** An arXiv that accepts connections and never answers (a hung upstream). */
async function startSilentArxiv(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let seen = 0;
  const server = net.createServer((socket) => {
    seen++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oai`,
    connections: () => seen,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A loopback port nothing listens on: every request is refused, as offline. */
async function refusedUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/oai`;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const HARVEST_DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

describe.each(testDatabases())('job lanes on $dialect', ({ create }) => {
  let db: Db;
  let sink: SmtpSink;
  let arxiv: Awaited<ReturnType<typeof startSilentArxiv>>;

  beforeEach(async () => {
    db = await create();
    sink = await startSmtpSink();
    arxiv = await startSilentArxiv();
  });
  afterEach(async () => {
    await arxiv.close();
    await sink.close();
    await db.close();
  });

  it('a confirmation mail goes out while harvests hold their lane, and stopping gives the harvests back', async () => {
    // Default lanes, retries and timeouts: only the addresses are the test's.
    const config = loadConfig({
      SMTP_URL: sink.url,
      ARXIV_OAI_URL: arxiv.url,
      SECRET_KEY: SECRET,
      LOG_LEVEL: 'silent',
    });
    for (const day of HARVEST_DAYS)
      await enqueueJob(db, 'ingest.arxiv', { day }, { runAt: new Date(Date.now() - 60_000) });
    const worker = new Worker(db, {
      handlers: jobHandlers(appContextAround({ db, config, logger })),
      lanes: laneSlots(config),
      logger,
      pollMs: 50,
    });
    worker.start();
    try {
      await until(() => arxiv.connections() > 0, 'a harvest to ask arXiv');
      expect(
        await requestSubscription(
          { db, config, logger },
          { email: 'reader@example.org', frequency: 'daily', includeTop: true, topics: [], forYou: false },
        ),
      ).toBe('confirmation-queued');
      // Before lanes both slots hung on arXiv and the confirmation waited 72 s; the bound here is generous.
      await sink.waitForCount(1, 20_000);
      expect(sink.to('reader@example.org')[0]!.parsed.subject).toMatch(/confirm/i);
    } finally {
      await worker.stop();
    }
    const harvests = await db.kysely.selectFrom('jobs').selectAll().where('kind', '=', 'ingest.arxiv').execute();
    // The harvest cut short by the stop is due again with its attempt not counted; the others never started.
    expect(harvests.map((job) => [job.done_at, job.attempts, job.locked_by])).toEqual(
      HARVEST_DAYS.map(() => [null, 0, null]),
    );
    expect(arxiv.connections()).toBe(1);
  });
});

describe('serve with arXiv unreachable', () => {
  let dir: string;
  let databaseFile: string;
  let sink: SmtpSink;
  let child: ChildProcess | null = null;
  let output = '';

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-lanes-'));
    databaseFile = join(dir, 'papers.db');
    const db = await openDatabase(databaseFile);
    await migrate(db);
    for (const day of HARVEST_DAYS.slice(0, 2)) await enqueueJob(db, 'ingest.arxiv', { day });
    await db.close();
    sink = await startSmtpSink();
    output = '';
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `serve` as an operator starts it (default lanes, retries and timeouts), without the web role or the scheduler. */
  function serve(arxivUrl: string): ChildProcess {
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: databaseFile,
      SERVICES: 'worker',
      SMTP_URL: sink.url,
      SECRET_KEY: SECRET,
      ARXIV_OAI_URL: arxivUrl,
      LOG_LEVEL: 'info',
      // A harvest hung on arXiv is given back after this long instead of the default 10 s.
      SHUTDOWN_TIMEOUT_MS: '1000',
    };
    child = spawn(process.execPath, [cliBin, 'serve'], { env });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    return child;
  }
  const exited = (proc: ChildProcess) =>
    new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const logLines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; kind?: string; err?: unknown });

  it('offline: a confirmation goes out at once, each failed harvest logs one line without a trace, SIGTERM exits', async () => {
    const served = serve(await refusedUrl());
    const exit = exited(served);
    const db = await openDatabase(databaseFile);
    try {
      await requestSubscription(
        { db, config: loadConfig({ SECRET_KEY: SECRET, SMTP_URL: sink.url }), logger },
        { email: 'new@example.org', frequency: 'weekly', includeTop: true, topics: [], forYou: false },
      );
    } finally {
      await db.close();
    }
    await sink.waitForCount(1, 20_000);
    await until(
      () => logLines().filter((l) => l.kind === 'ingest.arxiv' && l.level >= 40).length >= 2,
      'both harvests to fail',
    );
    served.kill('SIGTERM');
    expect(
      await Promise.race([exit, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]),
    ).toBe(0);
    const warnings = logLines().filter((l) => l.level >= 40);
    // Per failed harvest: the harvest's line and the job's reschedule (no retry asleep in the slot, so no line
    // per retry), and no stack trace.
    expect(
      warnings.map((l) => l.msg.replace(/ of cs 2026-11-0[12]\.\.2026-11-0[12] stopped at page 1: .*/, ' stopped')),
    ).toEqual(['arXiv harvest stopped', 'job failed; rescheduled', 'arXiv harvest stopped', 'job failed; rescheduled']);
    expect(output).not.toMatch(/"stack"/);
  });

  it('SIGTERM while a harvest waits on a hung arXiv exits promptly', async () => {
    const arxiv = await startSilentArxiv();
    try {
      const served = serve(arxiv.url);
      const exit = exited(served);
      await until(() => arxiv.connections() > 0, 'a harvest to ask arXiv');
      served.kill('SIGTERM');
      // Before, shutdown waited for the request's 120 s timeout and its retries.
      expect(
        await Promise.race([exit, new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))]),
      ).toBe(0);
    } finally {
      await arxiv.close();
    }
  });
});
