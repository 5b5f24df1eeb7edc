import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { digestJobHandlers, sendDigests } from '../../src/digest/jobs.js';
import { digestKey, messageIdFor } from '../../src/digest/message.js';
import { planDigests } from '../../src/digest/plan.js';
import { DISABLE_AFTER_BOUNCES, type DeliveryOptions } from '../../src/digest/send.js';
import { MailPool } from '../../src/mail/transport.js';
import { Metrics } from '../../src/metrics.js';
import { claimOutbox, countOutbox, getOutboxMessage } from '../../src/store/outbox.js';
import { getSubscriber } from '../../src/store/subscriptions.js';
import { testDatabases } from '../helpers/db.js';
import { startSmtpSink, type SmtpReply, type SmtpSink } from '../helpers/smtp.js';
import { activeSubscriber, digestConfig, featurePapers, silentLogger as logger } from './fixtures.js';

const DAY = '2026-11-27';
const later = (ms: number) => () => new Date(Date.now() + ms);

describe.each(testDatabases())('digest delivery on $dialect', ({ create }) => {
  let db: Db;
  let sink: SmtpSink;
  let config: Config;
  let replies: Map<string, SmtpReply[]>;

  beforeEach(async () => {
    poolFor.clear();
    db = await create();
    replies = new Map();
    // Each address can be given a queue of replies to RCPT TO; once empty, it is accepted.
    sink = await startSmtpSink({ onRecipient: (address) => replies.get(address)?.shift() });
    config = digestConfig({ SMTP_URL: sink.url });
  });
  afterEach(async () => {
    for (const pool of pools.splice(0)) pool.close();
    await sink.close();
    await db.close();
  });

  // One pooled transport per SMTP server, kept across runs as a process keeps its own.
  const pools: MailPool[] = [];
  const poolFor = new Map<string, MailPool>();
  const send = (settings: Config, options?: DeliveryOptions) => {
    const key = `${settings.SMTP_URL} ${settings.SMTP_TIMEOUT_SECONDS}`;
    let mail = poolFor.get(key);
    if (!mail) {
      mail = new MailPool(settings);
      pools.push(mail);
      poolFor.set(key, mail);
    }
    return sendDigests({ db, config: settings, logger, mail }, options);
  };

  it('sends each subscriber one digest with both parts, a dated subject, unsubscribe headers and escaped content', async () => {
    const ids = await featurePapers(db, DAY, [
      {
        title: 'Second best <script>alert(1)</script> paper',
        upvotes: 5,
        abstract: 'We bound it by $\\mathcal{O}(n^2)$ & more.',
      },
      {
        title: 'The best paper',
        upvotes: 40,
        authors: [
          { name: 'Émilie du Châtelet' },
          { name: 'B' },
          { name: 'C' },
          { name: 'D' },
          { name: 'E' },
          { name: 'F' },
        ],
      },
      { title: 'Hidden paper', upvotes: 99 },
    ]);
    await db.kysely.updateTable('papers').set({ hidden: 1 }).where('id', '=', ids[2]!).execute();
    const alice = await activeSubscriber(db, 'alice@example.org');
    await activeSubscriber(db, 'bob@example.org');

    expect(await planDigests(db, config, 'daily', DAY)).toEqual({
      frequency: 'daily',
      period: DAY,
      subscribers: 2,
      planned: 2,
      alreadyPlanned: 0,
      empty: 0,
    });
    expect(await send(config)).toEqual({ sent: 2, retrying: 0, failed: 0, cancelled: 0 });

    const [mail] = sink.to('alice@example.org');
    const m = mail!.parsed;
    expect(m.subject).toBe('Daily papers for 27 Nov 2026: 2 papers');
    expect(m.from?.value[0]).toMatchObject({ name: 'dailypapers', address: 'digest@papers.example.org' });
    expect(m.messageId).toBe(messageIdFor(digestKey('daily', DAY, alice), config.MAIL_FROM));
    // Best first, hidden papers left out, in both parts.
    expect(m.text!.indexOf('The best paper')).toBeLessThan(m.text!.indexOf('Second best'));
    expect(m.text).not.toContain('Hidden paper');
    expect(m.text).toContain('Second best <script>alert(1)</script> paper');
    expect(m.text).toContain('▲ 40 upvotes');
    expect(m.text).toContain('Émilie du Châtelet, B, C, D and 2 more');
    expect(m.text).toContain(`https://papers.example.org/papers/${ids[1]}`);
    expect(m.html).toContain('Second best &lt;script&gt;alert(1)&lt;/script&gt; paper');
    expect(m.html).not.toMatch(/<script|<style/i);
    expect(m.html).toContain('$\\mathcal{O}(n^2)$ &amp; more.');
    expect(m.html).toContain(`href="https://arxiv.org/abs/${ids[1]}"`);
    expect(m.html).toContain('name="color-scheme" content="light dark"');

    const { unsubscribe } = m.headers.get('list') as unknown as { unsubscribe: { url: string; mail: string } };
    expect(unsubscribe.url).toMatch(/^https:\/\/papers\.example\.org\/subscriptions\/unsubscribe\?token=unsubscribe\./);
    expect(unsubscribe.mail).toMatch(/^unsubscribe@papers\.example\.org\?subject=unsubscribe/);
    expect(mail!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);

    // Planning and sending again changes nothing: still one copy each.
    expect((await planDigests(db, config, 'daily', DAY)).alreadyPlanned).toBe(2);
    expect((await send(config)).sent).toBe(0);
    expect(sink.received.length).toBe(2);
  });

  it('matches topics, best first, and skips a subscriber with nothing new that day', async () => {
    await featurePapers(db, DAY, [
      { title: 'Efficient attention for long documents', upvotes: 2, categories: ['cs.LG'] },
      { title: 'Sparse transformers', abstract: 'We make attention efficient.', upvotes: 7, categories: ['cs.LG'] },
      { title: 'Parsing with grammars', upvotes: 30, categories: ['cs.CL'] },
      { title: 'Efficient convolutions', upvotes: 50, categories: ['cs.CV'] },
    ]);
    await activeSubscriber(db, 'topics@example.org', { includeTop: false, topics: ['efficient attention', 'cs.CL'] });
    await activeSubscriber(db, 'nothing@example.org', { includeTop: false, topics: ['quant-ph'] });

    const report = await planDigests(db, config, 'daily', DAY);
    expect(report).toMatchObject({ subscribers: 2, planned: 1, empty: 1 });
    await send(config);
    expect(sink.to('nothing@example.org')).toEqual([]);
    const text = sink.to('topics@example.org')[0]!.parsed.text!;
    expect(text).toContain('NEW ON “EFFICIENT ATTENTION”');
    expect(text).toContain('NEW IN CS.CL');
    const order = ['Sparse transformers', 'Efficient attention for long documents', 'Parsing with grammars'].map((t) =>
      text.indexOf(t),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(0);
    expect(text).not.toContain('Efficient convolutions');
  });

  it('retries a temporary (4xx) refusal with backoff, then delivers once, while others get theirs at once', async () => {
    await featurePapers(db, DAY, [{ title: 'Paper', upvotes: 1 }]);
    const greylisted = await activeSubscriber(db, 'greylisted@example.org');
    await activeSubscriber(db, 'fine@example.org');
    replies.set('greylisted@example.org', [{ code: 451, message: '4.7.1 Greylisted, try again later' }]);
    await planDigests(db, config, 'daily', DAY);

    expect(await send(config)).toEqual({ sent: 1, retrying: 1, failed: 0, cancelled: 0 });
    expect(sink.to('fine@example.org').length).toBe(1);
    const row = (await getOutboxMessage(db, digestKey('daily', DAY, greylisted)))!;
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('451') });
    // Not due yet: nothing is sent before the backoff ends.
    expect((await send(config)).sent).toBe(0);
    expect(await send(config, { now: later(31_000) })).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
      cancelled: 0,
    });
    expect(sink.to('greylisted@example.org').length).toBe(1);
    expect(await countOutbox(db)).toMatchObject({ sent: 2, pending: 0 });
  });

  it('gives up on a permanent (5xx) refusal, records it, and disables the subscription after repeated bounces', async () => {
    const days = ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
    for (const day of days) await featurePapers(db, day, [{ title: `Paper of ${day}`, upvotes: 1 }]);
    const gone = await activeSubscriber(db, 'gone@example.org');
    await activeSubscriber(db, 'fine@example.org');
    replies.set(
      'gone@example.org',
      Array.from({ length: 10 }, () => ({ code: 550, message: '5.1.1 No such user here' })),
    );

    for (const [i, day] of days.slice(0, DISABLE_AFTER_BOUNCES).entries()) {
      await planDigests(db, config, 'daily', day);
      expect(await send(config)).toEqual({ sent: 1, retrying: 0, failed: 1, cancelled: 0 });
      const subscriber = (await getSubscriber(db, gone))!;
      expect(subscriber.bounceCount).toBe(i + 1);
      expect(subscriber.lastError).toContain('550');
      expect(subscriber.status).toBe(i + 1 < DISABLE_AFTER_BOUNCES ? 'active' : 'disabled');
    }
    const row = (await getOutboxMessage(db, digestKey('daily', days[0]!, gone)))!;
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('No such user') });
    // Disabled: no more digests planned for it; the others carry on.
    expect(await planDigests(db, config, 'daily', days[3]!)).toMatchObject({ subscribers: 1, planned: 1 });
    await send(config);
    expect(sink.to('fine@example.org').length).toBe(4);
    expect(sink.to('gone@example.org')).toEqual([]);
  });

  it('does not count a refusal of our own sender address as a subscriber bounce', async () => {
    await featurePapers(db, DAY, [{ title: 'Paper', upvotes: 1 }]);
    const id = await activeSubscriber(db, 'reader@example.org');
    await planDigests(db, config, 'daily', DAY);
    const strict = await startSmtpSink({
      onSender: () => ({ code: 550, message: '5.7.1 Sender address rejected: not owned by user' }),
    });
    expect(await send(digestConfig({ SMTP_URL: strict.url }))).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
      cancelled: 0,
    });
    await strict.close();
    expect(await getSubscriber(db, id)).toMatchObject({ status: 'active', bounceCount: 0 });
    expect((await getOutboxMessage(db, digestKey('daily', DAY, id)))!.lastError).toContain('Sender address rejected');
  });

  it('loses nothing while the SMTP server is down, and delivers once it is back', async () => {
    await featurePapers(db, DAY, [{ title: 'Paper', upvotes: 1 }]);
    for (const name of ['a', 'b', 'c']) await activeSubscriber(db, `${name}@example.org`);
    await planDigests(db, config, 'daily', DAY);
    await sink.close();

    const down = await send(config);
    expect(down).toEqual({ sent: 0, retrying: 3, failed: 0, cancelled: 0 });
    const row = await db.kysely.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.last_error).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);

    sink = await startSmtpSink();
    const back = digestConfig({ SMTP_URL: sink.url });
    expect((await send(back, { now: later(31_000) })).sent).toBe(3);
    expect(sink.received.map((m) => m.envelopeTo[0]).sort()).toEqual([
      'a@example.org',
      'b@example.org',
      'c@example.org',
    ]);
  });

  it('gives a stalled server up after SMTP_TIMEOUT_SECONDS and retries; a resent copy keeps its Message-ID', async () => {
    await featurePapers(db, DAY, [{ title: 'Paper', upvotes: 1 }]);
    const id = await activeSubscriber(db, 'patient@example.org');
    await planDigests(db, config, 'daily', DAY);
    // This server takes the message but answers only after 3 s: the sender cannot know it arrived.
    const stalled = await startSmtpSink({ acceptDelayMs: 3000 });
    const impatient = digestConfig({ SMTP_URL: stalled.url, SMTP_TIMEOUT_SECONDS: '1' });
    expect(await send(impatient)).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
      cancelled: 0,
    });
    expect((await getOutboxMessage(db, digestKey('daily', DAY, id)))!.lastError).toMatch(/timeout|ETIMEDOUT/i);

    expect((await send(config, { now: later(31_000) })).sent).toBe(1);
    await stalled.close();
    const copies = [...stalled.received, ...sink.received];
    expect(copies.length).toBe(2);
    expect(new Set(copies.map((m) => m.messageId))).toEqual(
      new Set([messageIdFor(digestKey('daily', DAY, id), config.MAIL_FROM)]),
    );
  });

  it('a sender renews the leases of its messages in flight, so no other sender takes and sends them again', async () => {
    await featurePapers(db, DAY, [{ title: 'Paper', upvotes: 1 }]);
    for (let i = 0; i < 8; i++) await activeSubscriber(db, `reader${i}@example.org`);
    await planDigests(db, config, 'daily', DAY);
    // Each message takes 600 ms to be accepted, far past the first sender's 250 ms leases; a second
    // sender keeps looking for messages meanwhile.
    const slow = await startSmtpSink({ acceptDelayMs: 600 });
    const first = send(digestConfig({ SMTP_URL: slow.url }), { batchSize: 4, leaseMs: 250 });
    let secondSent = 0;
    for (let i = 0; i < 8; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      secondSent += (await send(config, { leaseMs: 250 })).sent;
    }
    const report = await first;
    await slow.close();
    expect(report.sent + secondSent).toBe(8);
    const recipients = [...slow.received, ...sink.received].map((m) => m.envelopeTo[0]).sort();
    expect(recipients).toEqual(Array.from({ length: 8 }, (_, i) => `reader${i}@example.org`).sort());
  });

  it('sends what a killed sender had claimed once its short lease ends, at a sweep planned for then', async () => {
    await featurePapers(db, DAY, [{ title: 'Paper', upvotes: 1 }]);
    for (let i = 0; i < 6; i++) await activeSubscriber(db, `reader${i}@example.org`);
    await planDigests(db, config, 'daily', DAY);
    // A sender claims two messages and dies before sending them.
    const leased = digestConfig({ SMTP_URL: sink.url, JOB_LEASE_MS: '1000' });
    const claimedAt = new Date();
    await claimOutbox(db, 'killed-sender', 2, leased.JOB_LEASE_MS, claimedAt);
    const mail = new MailPool(leased);
    pools.push(mail);
    const metrics = new Metrics({ jobQueue: async () => [], pools: () => [] });
    const handlers = digestJobHandlers({ db, config: leased, logger, metrics, mail });
    await handlers['digest.send']!({}, undefined as never, new AbortController().signal);
    expect(sink.received).toHaveLength(4);
    const sweep = await db.kysely.selectFrom('jobs').selectAll().where('kind', '=', 'digest.send').execute();
    expect(sweep.map((job) => Date.parse(job.run_at))).toEqual([claimedAt.getTime() + 1000]);
    // A timer may fire a millisecond before the wall clock reaches its time; the sweep runs at or after it.
    while (Date.now() < claimedAt.getTime() + 1000) {
      await new Promise((resolve) => setTimeout(resolve, claimedAt.getTime() + 1000 - Date.now() + 1));
    }
    await handlers['digest.send']!({}, undefined as never, new AbortController().signal);
    expect(sink.received.map((m) => m.envelopeTo[0]).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `reader${i}@example.org`).sort(),
    );
  });

  it('runs one after another share the pooled connection instead of opening their own', async () => {
    await featurePapers(db, DAY, [{ title: 'Paper', upvotes: 1 }]);
    await featurePapers(db, '2026-11-28', [{ title: 'Next paper', upvotes: 1 }]);
    await activeSubscriber(db, 'regular@example.org');
    await planDigests(db, config, 'daily', DAY);
    expect((await send(config)).sent).toBe(1);
    await planDigests(db, config, 'daily', '2026-11-28');
    expect((await send(config)).sent).toBe(1);
    expect(sink.to('regular@example.org').length).toBe(2);
    expect(sink.connectionsOpened()).toBe(1);
  });

  it('two senders at once never send the same digest', async () => {
    await featurePapers(db, DAY, [{ title: 'Paper', upvotes: 1 }]);
    for (let i = 0; i < 40; i++) await activeSubscriber(db, `reader${i}@example.org`);
    await planDigests(db, config, 'daily', DAY);
    const [a, b] = await Promise.all([send(config, { batchSize: 5 }), send(config, { batchSize: 5 })]);
    expect(a.sent + b.sent).toBe(40);
    expect(sink.received.length).toBe(40);
    expect(new Set(sink.received.map((m) => m.envelopeTo[0])).size).toBe(40);
  });
});
