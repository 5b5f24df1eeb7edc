import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../config/index.js';
import type { Db } from '../../db/connection.js';
import { Scheduler } from '../../jobs/scheduler.js';
import { jobHandlers, schedules } from '../../jobs/tasks.js';
import { Worker } from '../../jobs/worker.js';
import { summariseJobs } from '../../store/jobs.js';
import { listFeatured } from '../../store/papers.js';
import {
  OAI_FIXTURES,
  oaiPages,
  startArxivServer,
  xmlFile,
  type ArxivServer,
  type Responder,
} from '../../../test/helpers/arxiv-server.js';
import { testDatabases } from '../../../test/helpers/db.js';
import { captureLogs } from '../../../test/helpers/logs.js';
import { appContextAround } from '../../app/context.js';

const csListing = oaiPages({
  '': xmlFile(`${OAI_FIXTURES}/list-page1.xml`),
  '7125831|1001': xmlFile(`${OAI_FIXTURES}/list-page2.xml`),
  '7125831|2001': xmlFile(`${OAI_FIXTURES}/list-page3.xml`),
});

/** cs answers with the three-page listing; math as scripted. */
const bySet =
  (math: Responder): Responder =>
  (request) =>
    request.query.get('set') === 'math' ? math(request) : csListing(request);

describe('daily ingest schedule', () => {
  it('is planned once a day at ARXIV_HARVEST_TIME (UTC) for the day that ended, unless disabled', () => {
    const schedule = schedules(loadConfig({ ARXIV_HARVEST_TIME: '03:30' })).find((s) => s.kind === 'ingest.arxiv');
    expect(schedule!.due(new Date('2025-11-05T03:29:00Z'))).toBeNull();
    expect(schedule!.due(new Date('2025-11-05T03:31:00Z'))).toEqual({
      uniqueKey: 'ingest.arxiv:2025-11-05',
      payload: { day: '2025-11-04' },
    });
    expect(schedules(loadConfig({ ARXIV_INGEST_ENABLED: 'false' })).map((s) => s.kind)).not.toContain('ingest.arxiv');
  });

  it('rejects malformed settings clearly', () => {
    expect(() =>
      loadConfig({
        ARXIV_HARVEST_TIME: '25:00',
        ARXIV_SETS: 'cs,<script>',
        ARXIV_CONTACT: 'nobody',
        ARXIV_OAI_URL: 'not a url',
      }),
    ).toThrow(/ARXIV_OAI_URL[\s\S]*ARXIV_CONTACT[\s\S]*ARXIV_SETS[\s\S]*ARXIV_HARVEST_TIME/);
  });
});

describe.each(testDatabases())('daily arXiv ingest job on $dialect', ({ create }) => {
  let db: Db;
  let server: ArxivServer;
  let config: Config;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    db = await create();
    server = await startArxivServer(bySet(() => xmlFile(`${OAI_FIXTURES}/error-noRecordsMatch.xml`)));
    logs = captureLogs();
    config = loadConfig({
      ARXIV_OAI_URL: server.oaiUrl,
      ARXIV_SETS: 'cs,math',
      ARXIV_DELAY_MS: '0',
      ARXIV_BACKOFF_MS: '5',
      ARXIV_RETRIES: '0',
    });
  });
  afterEach(async () => {
    await server.close();
    await db.close();
  });

  const runScheduledDay = async (now: Date) => {
    // Only this task's schedule: the other recurring tasks have their own tests.
    await new Scheduler(
      db,
      schedules(config).filter((s) => s.kind === 'ingest.arxiv'),
      logs.logger,
    ).tick(now);
    const worker = new Worker(db, {
      handlers: jobHandlers(appContextAround({ db, config, logger: logs.logger })),
      concurrency: 1,
      logger: logs.logger,
    });
    return worker.drain();
  };

  it('harvests the previous day for every configured set and features its new submissions on that day', async () => {
    expect(await runScheduledDay(new Date('2025-11-05T02:05:00Z'))).toBe(1);
    expect(await summariseJobs(db)).toEqual([{ kind: 'ingest.arxiv', pending: 0, done: 1, failed: 0 }]);
    const firstPages = server.requests
      .filter((r) => r.query.has('metadataPrefix'))
      .map((r) => [r.query.get('set'), r.query.get('from'), r.query.get('until')]);
    expect(firstPages).toEqual([
      ['cs', '2025-11-04', '2025-11-04'],
      ['math', '2025-11-04', '2025-11-04'],
    ]);
    const feed = await listFeatured(db, { from: '2025-11-04', to: '2025-11-04' });
    expect(feed.map((p) => p.id).sort()).toEqual(['2511.01001', '2511.01002', '2511.01004', '2511.01005']);
  });

  it('fails the job when a set fails, and its retry harvests only what is missing', async () => {
    server.respond(bySet(() => ({ status: 500, body: 'down' })));
    await runScheduledDay(new Date('2025-11-05T02:05:00Z'));
    const job = await db.kysely.selectFrom('jobs').selectAll().executeTakeFirstOrThrow();
    expect(job.done_at).toBeNull();
    expect(job.last_error).toMatch(
      /^arXiv ingest of 2025-11-04 failed for 1 of 2 sets: arXiv harvest of math 2025-11-04\.\.2025-11-04 stopped at page 1: HTTP 500/,
    );
    expect(await listFeatured(db, { from: '2025-11-04', to: '2025-11-04' })).toHaveLength(4);

    server.respond(bySet(() => xmlFile(`${OAI_FIXTURES}/error-noRecordsMatch.xml`)));
    const before = server.requests.length;
    await jobHandlers(appContextAround({ db, config, logger: logs.logger }))['ingest.arxiv']!(
      JSON.parse(job.payload),
      { id: job.id, kind: job.kind, payload: {}, uniqueKey: null, attempts: 1, maxAttempts: 5 },
      new AbortController().signal,
    );
    expect(server.requests.slice(before).map((r) => r.query.get('set'))).toEqual(['math']);
  });

  it('rejects a payload without a day', async () => {
    const handler = jobHandlers(appContextAround({ db, config, logger: logs.logger }))['ingest.arxiv']!;
    await expect(
      handler(
        { day: 'yesterday' },
        { id: 1, kind: 'ingest.arxiv', payload: {}, uniqueKey: null, attempts: 1, maxAttempts: 5 },
        new AbortController().signal,
      ),
    ).rejects.toThrow(/day/);
    expect(server.requests).toHaveLength(0);
  });
});
