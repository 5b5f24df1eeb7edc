import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { Worker } from '../../src/jobs/worker.js';
import { enqueueJob } from '../../src/store/jobs.js';
import { databaseUrl, testDatabases } from '../helpers/db.js';
import { freePort, startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { findSample, parseExposition, sampleValue } from '../helpers/prometheus.js';
import { serveFreshDatabase } from '../helpers/server.js';

const METRICS_TOKEN = 'scrape-token-0123456789';

describe.each(testDatabases())('GET /metrics on $dialect', ({ create, dialect }) => {
  const web = serveFreshDatabase(create, async () => {}, { METRICS_TOKEN });
  const scrape = async () => {
    const response = await fetch(`${web.server.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.headers.get('cache-control')).toBe('no-store');
    return parseExposition(await response.text());
  };

  it('refuses a scrape without the token, with a wrong one, or with a hostile one', async () => {
    const hostile = ['', 'Bearer ', 'Bearer wrong-token-0123456789', `Bearer ${'x'.repeat(8000)}`, 'Basic abc'];
    hostile.push(`Bearer ${METRICS_TOKEN}x`, `bearer ${METRICS_TOKEN}`, `Bearer ' OR 1=1 --`);
    for (const authorization of hostile) {
      const response = await fetch(`${web.server.url}/metrics`, authorization ? { headers: { authorization } } : {});
      expect(response.status, authorization.slice(0, 40)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(await response.text()).not.toContain('dailypapers_');
    }
  });

  it('counts requests by route pattern and status, never by the raw URL', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${web.server.url}/`)).status).toBe(200);
    await fetch(`${web.server.url}/papers/2301.99999?x=<script>`);
    await fetch(`${web.server.url}/no/such/${'a'.repeat(200)}`);
    const families = await scrape();
    const requests = { name: 'dailypapers_http_requests_total' };
    expect(sampleValue(families, requests.name, { route: '/', method: 'GET', status: '200' })).toBe(3);
    expect(sampleValue(families, requests.name, { route: '/papers/*', method: 'GET', status: '404' })).toBe(1);
    expect(sampleValue(families, requests.name, { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    // Refused scrapes count too, under their own route.
    expect(sampleValue(families, requests.name, { route: '/metrics', status: '401' })).toBe(8);
    const latency = 'dailypapers_http_request_duration_seconds';
    const root = { route: '/', method: 'GET' };
    expect(findSample(families, latency, root, `${latency}_count`)?.value).toBe(3);
    expect(findSample(families, latency, { ...root, le: '+Inf' }, `${latency}_bucket`)?.value).toBe(3);
    expect(findSample(families, latency, root, `${latency}_sum`)?.value).toBeGreaterThan(0);
    const labels = families.flatMap((f) => f.samples.flatMap((m) => Object.values(m.labels)));
    expect(labels.some((value) => value.includes('2301.99999') || value.includes('aaaa'))).toBe(false);
  });

  it('reports the queue by kind with its oldest age, and the jobs this process ran', async () => {
    const { db, ctx } = { db: web.db, ctx: web.server.ctx };
    await enqueueJob(db, 'rank.trending', {}, { runAt: new Date(Date.now() - 3600_000) });
    await enqueueJob(db, 'rank.trending', {});
    await enqueueJob(db, 'digest.send', {});
    // Not due yet: not queued.
    await enqueueJob(db, 'digest.send', {}, { runAt: new Date(Date.now() + 3600_000) });
    let families = await scrape();
    expect(sampleValue(families, 'dailypapers_jobs_queued', { kind: 'rank.trending' })).toBe(2);
    expect(sampleValue(families, 'dailypapers_jobs_queued', { kind: 'digest.send' })).toBe(1);
    const oldest = sampleValue(families, 'dailypapers_jobs_oldest_age_seconds', { kind: 'rank.trending' })!;
    expect(oldest).toBeGreaterThanOrEqual(3600);
    expect(oldest).toBeLessThan(3700);

    let failures = 1;
    const handlers = {
      'rank.trending': async () => {},
      'digest.send': async () => {
        if (failures-- > 0) throw new Error('smtp away');
      },
    };
    await new Worker(db, { handlers, concurrency: 2, logger: ctx.logger, metrics: ctx.metrics }).drain();
    families = await scrape();
    expect(sampleValue(families, 'dailypapers_jobs_finished_total', { kind: 'rank.trending', outcome: 'done' })).toBe(
      2,
    );
    expect(sampleValue(families, 'dailypapers_jobs_finished_total', { kind: 'digest.send', outcome: 'failed' })).toBe(
      1,
    );
    // Done jobs leave the queue; the failed one waits for its retry, so nothing is due.
    expect(sampleValue(families, 'dailypapers_jobs_queued', { kind: 'rank.trending' })).toBeUndefined();
    expect(sampleValue(families, 'dailypapers_jobs_queued', { kind: 'digest.send' })).toBeUndefined();
  });

  it('exposes the harvest, digest, mail and embedding counters and the database pools', async () => {
    web.server.ctx.metrics.harvestedRecords.inc(7);
    const families = await scrape();
    expect(sampleValue(families, 'dailypapers_harvested_records_total')).toBe(7);
    expect(sampleValue(families, 'dailypapers_embedded_papers_total')).toBe(0);
    for (const name of ['dailypapers_digests_planned_total', 'dailypapers_mail_total']) {
      expect(families.find((f) => f.name === name)?.type).toBe('counter');
    }
    const pool = families.find((f) => f.name === 'dailypapers_db_pool_connections');
    if (dialect === 'postgres') {
      const inUse = sampleValue(families, 'dailypapers_db_pool_connections', { pool: 'main', state: 'in_use' });
      const idle = sampleValue(families, 'dailypapers_db_pool_connections', { pool: 'main', state: 'idle' });
      expect(inUse! + idle!).toBeGreaterThan(0);
      expect(sampleValue(families, 'dailypapers_db_pool_connections', { pool: 'main', state: 'waiting' })).toBe(0);
    } else {
      expect(pool?.samples ?? []).toEqual([]);
    }
  });
});

describe('the exposition parser', () => {
  it('refuses what the text format does not allow', () => {
    const bad = ['a_total 1', 'a_total{x="1} 1\n', 'a_total{x="1"} one\n', '1a 2\n', 'a{x="\\q"} 1\n'];
    bad.push('# TYPE h histogram\nh_bucket 1\n', 'a_total 1 2 3\n');
    for (const text of bad) expect(() => parseExposition(text), text).toThrow();
    expect(parseExposition('# TYPE a gauge\na{x="q\\"u\\no"} -Inf\n')[0]).toEqual({
      name: 'a',
      type: 'gauge',
      help: '',
      samples: [{ name: 'a', labels: { x: 'q"u\no' }, value: -Infinity }],
    });
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  const [sqlite] = testDatabases();
  const web = serveFreshDatabase(sqlite!.create);

  it('is open, and a Bearer header is not taken for an API token', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-an-api-token' }] as Record<string, string>[]) {
      const response = await fetch(`${web.server.url}/metrics`, { headers });
      expect(response.status).toBe(200);
      expect(parseExposition(await response.text()).length).toBeGreaterThan(5);
    }
  });
});

describe.each(testDatabases())('METRICS_PORT on a worker-only process on $dialect', ({ create }) => {
  let db: Db;
  let worker: ServeProcess;
  let metricsUrl: string;
  beforeAll(async () => {
    db = await create();
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    worker = await startServeProcess({
      DATABASE_URL: databaseUrl(db),
      SERVICES: 'worker',
      METRICS_PORT: String(port),
      METRICS_TOKEN,
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await db?.close();
  });

  it('serves /metrics (to the token) and /healthz, and nothing else', async () => {
    const scraped = await fetch(`${metricsUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    const families = parseExposition(await scraped.text());
    expect(families.map((f) => f.name)).toContain('dailypapers_jobs_finished_total');
    expect(families.map((f) => f.name)).toContain('dailypapers_db_pool_connections');
    const health = await fetch(`${metricsUrl}/healthz`);
    expect(await health.json()).toEqual({ ok: true });

    for (const authorization of [
      '',
      `Bearer ${METRICS_TOKEN}x`,
      `Basic ${METRICS_TOKEN}`,
      `Bearer ${'x'.repeat(8000)}`,
    ]) {
      const refused = await fetch(`${metricsUrl}/metrics`, authorization ? { headers: { authorization } } : {});
      expect(refused.status, authorization.slice(0, 40)).toBe(401);
      expect(await refused.text()).not.toContain('dailypapers_');
    }
    expect((await fetch(`${metricsUrl}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
    for (const path of ['/', '/api/daily_papers', `/metrics/${'a'.repeat(4000)}`, '/%00', '/healthz/..'])
      expect((await fetch(`${metricsUrl}${path}`)).status, path.slice(0, 40)).toBe(404);
    expect((await fetch(`${metricsUrl}/healthz?probe=<script>`)).status).toBe(200);
  });
});
