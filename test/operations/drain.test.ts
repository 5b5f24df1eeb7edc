import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrations/index.js';
import { enqueueJob } from '../../src/store/jobs.js';
import {
  fixture,
  OAI_FIXTURES,
  recordedAtomLookup,
  startArxivServer,
  type ArxivServer,
} from '../helpers/arxiv-server.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { looseLimits, signedUp } from '../community/fixtures.js';

const SLOW_MS = 1500;
const SHUTDOWN_TIMEOUT_MS = 4000;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('SIGTERM drains a serving process', () => {
  let dir: string;
  let db: Db;
  let arxiv: ArxivServer;
  let served: ServeProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-drain-'));
    db = await openDatabase(join(dir, 'papers.db'));
    await migrate(db);
    // The export API answers lookups slowly; OAI answers one day's harvest slowly and never answers the other's.
    const lookup = recordedAtomLookup();
    const noRecords = { body: fixture(`${OAI_FIXTURES}/error-noRecordsMatch.xml`) };
    arxiv = await startArxivServer((request) => {
      if (request.path.endsWith('/query')) return { delayMs: SLOW_MS, reply: lookup(request) };
      if (request.query.get('from') === '2026-11-01') return { delayMs: SLOW_MS, reply: noRecords };
      return { stallAfter: 0, body: '' };
    });
    for (const day of ['2026-11-01', '2026-11-02']) await enqueueJob(db, 'ingest.arxiv', { day });
    served = await startServeProcess({
      ...looseLimits,
      DATABASE_URL: join(dir, 'papers.db'),
      SERVICES: 'web,worker',
      WORKER_HEAVY_CONCURRENCY: '2',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      SUBMIT_WINDOW_DAYS: '3650',
      ARXIV_API_URL: arxiv.apiUrl,
      ARXIV_OAI_URL: arxiv.oaiUrl,
      ARXIV_DELAY_MS: '0',
      ARXIV_CONTACT: 'ops@example.org',
    });
  });
  afterAll(async () => {
    served?.child.kill('SIGKILL');
    await arxiv?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the request in flight, refuses new ones, finishes the job in flight, gives back the one past the deadline, and exits 0', {
    timeout: 30_000,
  }, async () => {
    const ada = await signedUp(db, served.url);
    await until(() => arxiv.requests.filter((r) => r.path.endsWith('/oai')).length === 2, 'both harvests to start');
    const submission = ada.json('POST', '/api/papers/submit', { id: '1707.08567' }, { 'x-csrf-token': ada.csrfToken });
    await until(() => arxiv.requests.some((r) => r.path.endsWith('/query')), 'the submission to reach arXiv');
    const signalledAt = Date.now();
    served.child.kill('SIGTERM');
    const exited = new Promise<number>((resolve) => served.child.once('exit', () => resolve(Date.now())));

    // The request in flight gets its answer, though the process is stopping.
    const answer = await submission;
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ id: '1707.08567', duplicate: false });
    // A new connection is not taken any more.
    await expect(fetch(`${served.url}/healthz`)).rejects.toThrow();

    const exitedAt = await exited;
    expect(served.exit()).toEqual({ code: 0, signal: null });
    // It waited for the hung harvest until the deadline, and not much longer.
    expect(exitedAt - signalledAt).toBeGreaterThanOrEqual(SHUTDOWN_TIMEOUT_MS - 100);
    expect(exitedAt - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 5000);

    const jobs = await db.kysely
      .selectFrom('jobs')
      .select(['payload', 'done_at', 'locked_by', 'locked_until', 'attempts'])
      .orderBy('id')
      .execute();
    // The slow harvest finished within the grace period and is recorded done.
    expect(jobs[0]!.done_at).not.toBeNull();
    // The hung one was aborted at the deadline and given back: due again, its lease released, the attempt not counted.
    expect(jobs[1]).toMatchObject({ done_at: null, locked_by: null, locked_until: null, attempts: 0 });
    expect(await db.kysely.selectFrom('papers').select('id').execute()).toEqual([{ id: '1707.08567' }]);
  });
});
