import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { digestJobHandlers } from '../../src/digest/jobs.js';
import { Worker } from '../../src/jobs/worker.js';
import { testDatabases } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { silentLogger as logger } from './fixtures.js';

/**
 * The subscribe form and API mail whoever is named in them, so they are limited per IP and per
 * address (RATE_LIMIT_SUBSCRIBE, default 3 per address and 10 per IP an hour), and what they mail
 * carries our own wording only: nothing a stranger typed reaches someone else's inbox.
 */
describe.each(testDatabases())('subscription limits on $dialect', ({ create }) => {
  let db: Db;
  let sink: SmtpSink;
  let server: TestServer;

  beforeEach(async () => {
    db = await create();
    sink = await startSmtpSink();
    server = await startTestServer(db, {
      SMTP_URL: sink.url,
      SECRET_KEY: 'subscription-limit-secret-0123456789',
      TRUST_PROXY: 'true',
    });
  });
  afterEach(async () => {
    await server.close();
    await sink.close();
    await db.close();
  });

  const subscribe = (body: object, from = '198.51.100.7') =>
    fetch(`${server.url}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify(body),
    });
  const subscribeByForm = (form: Record<string, string>, from = '198.51.100.7') =>
    fetch(`${server.url}/subscribe`, {
      method: 'POST',
      headers: { 'x-forwarded-for': from },
      body: new URLSearchParams(form),
    });
  const runWorker = () => new Worker(db, { handlers: digestJobHandlers(server.ctx), concurrency: 1, logger }).drain();

  it('sends at most 10 confirmation mails for 200 requests from one IP, answering the rest 429 with Retry-After', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? subscribe({ email: `victim${i}@example.org` })
          : subscribeByForm({ email: `victim${i}@example.org`, top: '1' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 202 || s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(190);
    for (const refused of responses.filter((r) => r.status === 429))
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const refusedPage = await responses.find((r, i) => i % 2 === 1 && r.status === 429)!.text();
    expect(refusedPage).toContain('Too many subscribe attempts');

    await runWorker();
    expect(sink.count()).toBe(10);
    // Another IP is not held up by the one that hit its limit.
    expect((await subscribe({ email: 'someone@example.org' }, '203.0.113.20')).status).toBe(202);
  });

  it('limits requests for one address from many IPs, and manage-link requests count too', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await subscribe({ email: 'Target@example.org' }, `203.0.113.${i + 1}`)).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429, 429]);
    const link = await fetch(`${server.url}/subscriptions/link`, {
      method: 'POST',
      headers: { 'x-forwarded-for': '203.0.113.99' },
      body: new URLSearchParams({ email: 'target@example.org' }),
    });
    expect(link.status).toBe(429);
    await runWorker();
    expect(sink.to('target@example.org')).toHaveLength(1);
  });

  it('mails the address and our own wording, never the topics a stranger typed', async () => {
    const pitch = 'Cheap pills at pharmacy-spam.example';
    expect((await subscribe({ email: 'reader@example.org', topics: [pitch, 'cs.CL'] })).status).toBe(202);
    await runWorker();
    const mail = sink.to('reader@example.org')[0]!.parsed;
    expect(mail.subject).toBe('Confirm your dailypapers subscription');
    for (const part of [mail.text!, mail.html as string]) {
      expect(part).toContain('reader@example.org');
      expect(part).not.toContain('pharmacy-spam');
      expect(part).not.toContain('Cheap pills');
    }
    expect(mail.text).toContain(
      'Someone, hopefully you, asked for a daily email from dailypapers at reader@example.org.',
    );
  });
});
