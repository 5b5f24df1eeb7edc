import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { digestJobHandlers } from '../../src/digest/jobs.js';
import { signedLink } from '../../src/digest/links.js';
import { planDigests } from '../../src/digest/plan.js';
import { sendDigests } from '../../src/digest/jobs.js';
import { Worker } from '../../src/jobs/worker.js';
import { listOutbox } from '../../src/store/outbox.js';
import { getSubscriber, getSubscriberByEmail } from '../../src/store/subscriptions.js';
import { testDatabases } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { activeSubscriber, featurePapers, silentLogger as logger } from './fixtures.js';

const SECRET = 'subscription-test-secret-0123456789';

describe.each(testDatabases())('subscribing and unsubscribing on $dialect', ({ create }) => {
  let db: Db;
  let sink: SmtpSink;
  let server: TestServer;

  beforeEach(async () => {
    db = await create();
    sink = await startSmtpSink();
    server = await startTestServer(db, {
      SMTP_URL: sink.url,
      SECRET_KEY: SECRET,
      MAIL_FROM: 'dailypapers <digest@papers.example.org>',
    });
  });
  afterEach(async () => {
    await server.close();
    await sink.close();
    await db.close();
  });

  const api = (body: string, contentType = 'application/json') =>
    fetch(`${server.url}/api/subscriptions`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const postForm = (path: string, form: Record<string, string>) =>
    fetch(path.startsWith('http') ? path : `${server.url}${path}`, { method: 'POST', body: new URLSearchParams(form) });
  /** Runs the background worker the way `serve` does, until the queue is empty. */
  const runWorker = () => new Worker(db, { handlers: digestJobHandlers(server.ctx), concurrency: 1, logger }).drain();
  const linkIn = (text: string, path: string) => new RegExp(`https?://\\S+${path}\\?token=\\S+`).exec(text)?.[0];

  it('double opt-in: nothing but the confirmation is sent until its link is followed by a click', async () => {
    const response = await api(
      JSON.stringify({ email: 'Reader@Example.org', frequency: 'weekly', topics: ['cs.CL', 'efficient attention'] }),
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'pending' });
    const subscriber = (await getSubscriberByEmail(db, 'reader@example.org'))!;
    expect(subscriber).toMatchObject({
      status: 'pending',
      frequency: 'weekly',
      includeTop: false,
      topics: ['cs.CL', 'efficient attention'],
    });

    await featurePapers(db, '2026-11-25', [{ title: 'Parsing', categories: ['cs.CL'], upvotes: 3 }]);
    expect(await planDigests(db, server.ctx.config, 'weekly', '2026-W48')).toMatchObject({
      subscribers: 0,
      planned: 0,
    });

    await runWorker();
    expect(sink.received.length).toBe(1);
    const mail = sink.received[0]!.parsed;
    expect(mail.subject).toBe('Confirm your dailypapers subscription');
    expect(mail.text).toMatch(/asked for a weekly email from dailypapers at reader@example.org/i);
    const confirmUrl = linkIn(mail.text!, '/subscriptions/confirm')!;
    expect(mail.html).toContain(`href="${confirmUrl.replace(/&/g, '&amp;')}"`);

    // Opening the link (as a mail scanner would) changes nothing; the button confirms.
    const page = await fetch(confirmUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Confirm subscription</button>');
    expect((await getSubscriber(db, subscriber.id))!.status).toBe('pending');
    const confirmed = await fetch(confirmUrl, { method: 'POST' });
    expect(await confirmed.text()).toContain('You are subscribed');
    expect((await getSubscriber(db, subscriber.id))!.status).toBe('active');
    expect(await (await fetch(confirmUrl, { method: 'POST' })).text()).toContain('You were already subscribed');

    expect(await planDigests(db, server.ctx.config, 'weekly', '2026-W48')).toMatchObject({
      subscribers: 1,
      planned: 1,
    });
  });

  it('subscribes from the form on a page and answers bad input with the form and a clear message', async () => {
    await featurePapers(db, '2026-11-27', [{ title: 'Featured', upvotes: 1 }]);
    for (const path of ['/', '/papers/date/2026-11-27', '/papers/week/2026-W48', '/papers/month/2026-11']) {
      const feed = await (await fetch(`${server.url}${path}`)).text();
      expect(feed, path).toContain(
        '<form class="subscribe-form notice" id="subscribe" method="post" action="/subscribe">',
      );
    }
    const form = await fetch(`${server.url}/subscribe?topic=cs.CL`);
    const formHtml = await form.text();
    expect(formHtml).toContain('action="/subscribe"');
    expect(formHtml).toContain('value="cs.CL"');

    const ok = await postForm('/subscribe', {
      email: 'form@example.org',
      frequency: 'daily',
      topics: 'cs.CL, efficient attention',
      top: '1',
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Check your inbox');
    expect(await getSubscriberByEmail(db, 'form@example.org')).toMatchObject({
      includeTop: true,
      topics: ['cs.CL', 'efficient attention'],
    });

    const bad = await postForm('/subscribe', { email: '"><script>alert(1)</script>', topics: 'cs.CL' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('not a valid email address');
    expect(badHtml).not.toContain('<script>alert(1)');
    expect(badHtml).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');

    const nothing = await postForm('/subscribe', { email: 'x@example.org', frequency: 'daily' });
    expect(nothing.status).toBe(400);
    expect(await nothing.text()).toContain('choose the top papers, at least one topic, or both');
  });

  it('refuses hostile and malformed API requests with 400 and stores nothing', async () => {
    const cases: [string, string][] = [
      // Line breaks in a one-line field are refused at the edge, before any handler.
      [JSON.stringify({ email: 'a@b.c\r\nBcc: x@evil.example' }), 'email: must not contain control'],
      [JSON.stringify({ email: 'victim@example.org\nBcc: x@evil.example' }), 'email: must not contain control'],
      [JSON.stringify({ email: `${'a'.repeat(250)}@example.org` }), 'longer than 254'],
      [
        JSON.stringify({ email: 'ok@example.org', topics: Array.from({ length: 1000 }, (_, i) => `topic ${i}`) }),
        'at most 25 topics per subscription (got 1000)',
      ],
      [JSON.stringify({ email: 'ok@example.org', frequency: 'hourly' }), 'frequency'],
      [JSON.stringify({ email: 42 }), 'email'],
      [JSON.stringify({ email: 'ok@example.org', topics: 'cs.CL' }), 'topics'],
      [JSON.stringify({ email: 'ok@example.org', topics: ['x'.repeat(500)] }), 'not a topic'],
      ['{"email": "ok@example.org", ', 'JSON'],
      ['[]', 'expected object'],
    ];
    for (const [body, message] of cases) {
      const response = await api(body);
      expect(response.status, body.slice(0, 80)).toBe(400);
      expect((await response.json()).error, body.slice(0, 80)).toContain(message);
    }
    const text = await api('email=ok@example.org', 'text/plain');
    expect([text.status, (await text.json()).error]).toEqual([400, expect.stringContaining('expected object')]);
    expect(await db.kysely.selectFrom('subscribers').selectAll().execute()).toEqual([]);
  });

  it('does not let a stranger change an active subscription: the owner gets a manage link instead, at most every few minutes', async () => {
    const id = await activeSubscriber(db, 'owner@example.org', { topics: ['cs.CL'] });
    expect((await api(JSON.stringify({ email: 'OWNER@example.org', topics: ['spam'] }))).status).toBe(202);
    expect((await api(JSON.stringify({ email: 'owner@example.org', topics: ['spam'] }))).status).toBe(202);
    expect(await getSubscriber(db, id)).toMatchObject({ status: 'active', topics: ['cs.CL'] });
    await runWorker();
    expect(sink.received.map((m) => m.parsed.subject)).toEqual(['Your dailypapers subscription']);
    expect(linkIn(sink.received[0]!.parsed.text!, '/subscriptions/manage')).toBeDefined();
  });

  it('unsubscribes with an RFC 8058 one-click POST to the List-Unsubscribe URL and cancels what was planned', async () => {
    await featurePapers(db, '2026-11-26', [{ title: 'Paper one', upvotes: 1 }]);
    await featurePapers(db, '2026-11-27', [{ title: 'Paper two', upvotes: 1 }]);
    const id = await activeSubscriber(db, 'leaver@example.org');
    await activeSubscriber(db, 'stayer@example.org');
    await planDigests(db, server.ctx.config, 'daily', '2026-11-26');
    await sendDigests(server.ctx);
    const { unsubscribe } = sink.to('leaver@example.org')[0]!.parsed.headers.get('list') as unknown as {
      unsubscribe: { url: string };
    };
    await planDigests(db, server.ctx.config, 'daily', '2026-11-27');

    // Opening the link only asks; a link checker cannot unsubscribe anyone.
    const page = await fetch(unsubscribe.url);
    expect(await page.text()).toContain('Unsubscribe leaver@example.org?');
    expect((await getSubscriber(db, id))!.status).toBe('active');

    const oneClick = await fetch(unsubscribe.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('You are unsubscribed');
    expect((await getSubscriber(db, id))!.status).toBe('unsubscribed');
    const multipart = new FormData();
    multipart.set('List-Unsubscribe', 'One-Click');
    expect((await fetch(unsubscribe.url, { method: 'POST', body: multipart })).status).toBe(200);

    await sendDigests(server.ctx);
    expect(sink.to('leaver@example.org').length).toBe(1);
    expect(sink.to('stayer@example.org').length).toBe(2);
    expect((await listOutbox(db, { subscriberId: id })).map((m) => m.status)).toEqual(['sent', 'cancelled']);
  });

  it('manages topics and frequency through the signed link, escaping what was typed', async () => {
    const id = await activeSubscriber(db, 'manager@example.org');
    const manageUrl = signedLink(server.url, SECRET, 'manage', id);
    const page = await (await fetch(manageUrl)).text();
    expect(page).toContain('manager@example.org');
    expect(page).toMatch(/<option value="daily" selected>/);

    const saved = await postForm(manageUrl, { frequency: 'weekly', topics: 'cs.LG\n<script>alert(1)</script>' });
    expect(saved.status).toBe(200);
    const savedHtml = await saved.text();
    expect(savedHtml).toContain('Saved.');
    expect(savedHtml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(savedHtml).not.toContain('<script>alert(1)');
    expect(await getSubscriber(db, id)).toMatchObject({
      frequency: 'weekly',
      includeTop: false,
      topics: ['cs.LG', '<script>alert(1)</script>'],
    });

    const tooMany = await postForm(manageUrl, {
      frequency: 'daily',
      topics: Array.from({ length: 1000 }, (_, i) => `t${i}`).join('\n'),
    });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain('at most 25 topics');
    expect(await getSubscriber(db, id)).toMatchObject({
      frequency: 'weekly',
      topics: ['cs.LG', '<script>alert(1)</script>'],
    });
  });

  it('turns away forged, re-purposed and expired links, and sends a fresh link on request', async () => {
    const id = await activeSubscriber(db, 'old@example.org');
    const forged = signedLink(server.url, 'somebody-elses-secret-123456', 'unsubscribe', id);
    const wrongPurpose = signedLink(server.url, SECRET, 'manage', id).replace('/manage?', '/unsubscribe?');
    const expired = signedLink(server.url, SECRET, 'unsubscribe', id, new Date(Date.now() - 2 * 365 * 86_400_000));
    for (const url of [
      forged,
      wrongPurpose,
      `${server.url}/subscriptions/unsubscribe`,
      `${server.url}/subscriptions/unsubscribe?token=${'x'.repeat(5000)}`,
    ]) {
      const response = await fetch(url, { method: 'POST' });
      expect(response.status, url.slice(0, 120)).toBe(400);
      expect(await response.text()).toContain('This link is not valid');
    }
    const old = await fetch(expired, { method: 'POST' });
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('This link has expired');
    expect((await getSubscriber(db, id))!.status).toBe('active');

    const request = await postForm('/subscriptions/link', { email: 'old@example.org' });
    expect(await request.text()).toContain('a fresh link to manage it is on its way');
    expect((await postForm('/subscriptions/link', { email: 'nobody@example.org' })).status).toBe(200);
    expect((await postForm('/subscriptions/link', { email: 'a@b.c\r\nBcc: x' })).status).toBe(400);
    await runWorker();
    expect(sink.received.map((m) => m.envelopeTo[0])).toEqual(['old@example.org']);
    const fresh = linkIn(sink.received[0]!.parsed.text!, '/subscriptions/manage')!;
    expect((await fetch(fresh)).status).toBe(200);
  });
});
