import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { sendDigests } from '../../src/digest/jobs.js';
import { signedLink } from '../../src/digest/links.js';
import { planDigests } from '../../src/digest/plan.js';
import { embedPendingPapers } from '../../src/search/embed-job.js';
import { saveLibraryItem } from '../../src/store/library.js';
import { upsertPapers } from '../../src/store/papers.js';
import { getSubscriberByEmail } from '../../src/store/subscriptions.js';
import { paperRecord } from '../factories/papers.js';
import { topicPapers } from '../factories/topics.js';
import { signedUp, startCommunityServer, type Member } from '../community/fixtures.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { activeSubscriber } from './fixtures.js';

const DAY = '2026-11-27';
const SECRET = 'for-you-digest-secret-0123456789';
const VEHICLES = ['2501.00100', '2501.00101', '2501.00102', '2501.00103', '2501.00104', '2501.00105'];
const RUBIN = ['2501.00300', '2501.00301'];

/** The part of a text digest under a section's heading, up to the next heading or the footer. */
function section(text: string, heading: string): string | null {
  const start = text.indexOf(`\n${heading.toUpperCase()}\n`);
  if (start < 0) return null;
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(/\n[A-Z][A-Z “”.-]+\n\n|\n--\n/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** A member's JSON request with their session's CSRF header, as the site's own scripts send it. */
const api = (client: Member, method: string, path: string, body?: unknown) =>
  client.json(method, path, body, { 'x-csrf-token': client.csrfToken });

const paperIdsIn = (text: string) => [...text.matchAll(/\/papers\/(\d{4}\.\d{5})\n/g)].map((m) => m[1]!);

describe.each(testDatabases())('"For you" in digests, and follows as digest topics, on $dialect', ({ create }) => {
  let sink: SmtpSink;
  const ctx = {} as { db: Db; server: TestServer };
  beforeAll(async () => {
    sink = await startSmtpSink();
    ctx.db = await create();
    ctx.server = await startCommunityServer(ctx.db, {
      SMTP_URL: sink.url,
      SECRET_KEY: SECRET,
      DIGEST_TOP_N: '2',
      MAIL_FROM: 'dailypapers <digest@papers.example.org>',
    });
    const { db, server } = ctx;
    await upsertPapers(
      db,
      [
        ...topicPapers().map((p) => ({ ...p, publishedOn: DAY })),
        paperRecord({
          id: '2501.00900',
          title: 'Hostile names',
          authors: [{ name: '<b>Eve</b> & Co' }],
          publishedOn: DAY,
        }),
      ],
      { featuredOn: DAY },
    );
    // The day's top two: one vehicle paper and one galaxy paper.
    for (const [id, upvotes] of [
      ['2501.00101', 50],
      ['2501.00302', 40],
    ] as const)
      await db.kysely.updateTable('papers').set({ upvotes }).where('id', '=', id).execute();
    await embedPendingPapers(server.ctx);
  });
  afterAll(async () => {
    await ctx.server?.close();
    await ctx.db?.close();
    await sink?.close();
  });
  beforeEach(() => {
    sink.received.length = 0;
  });

  /** Plans the day and sends it; the text part of the digest each address got. */
  async function deliver(): Promise<Map<string, string>> {
    await ctx.db.kysely.deleteFrom('outbox').execute();
    await planDigests(ctx.db, ctx.server.ctx.config, 'daily', DAY);
    await sendDigests(ctx.server.ctx);
    return new Map(sink.received.map((m) => [m.envelopeTo[0]!, m.parsed.text ?? '']));
  }
  const htmlTo = (email: string) => String(sink.to(email)[0]?.parsed.html ?? '');

  it('adds papers related to a member’s saves, with the reason, after and apart from the other sections', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    await saveLibraryItem(ctx.db, ada.id, '2501.00100', {});
    await activeSubscriber(ctx.db, ada.email, { includeTop: true, forYou: true });
    const text = (await deliver()).get(ada.email)!;

    const top = paperIdsIn(section(text, 'Top papers of the day')!);
    expect(top).toEqual(['2501.00101', '2501.00302']);
    const forYou = section(text, 'For you')!;
    const ids = paperIdsIn(forYou);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThanOrEqual(5);
    // Neither the saved paper nor one of the top papers again; the nearest are the other vehicle papers.
    expect(ids).not.toContain('2501.00100');
    expect(ids).not.toContain('2501.00101');
    expect(ids.slice(0, 4).every((id) => VEHICLES.includes(id))).toBe(true);
    expect(forYou).toContain('Like “Automobile engine efficiency” that you saved');
    expect(htmlTo(ada.email)).toMatch(/>For you<\/h2>[\s\S]*Like “Automobile engine efficiency” that you saved/);
  });

  it('leaves the section out for a member with no signals, and for an address that is no member’s', async () => {
    const bob = await signedUp(ctx.db, ctx.server.url);
    await activeSubscriber(ctx.db, bob.email, { includeTop: true, forYou: true });
    // Turned on in the store directly: an address whose member changed theirs away, say.
    await activeSubscriber(ctx.db, 'former@example.org', { includeTop: true, forYou: true });
    const texts = await deliver();
    for (const email of [bob.email, 'former@example.org']) {
      expect(section(texts.get(email)!, 'Top papers of the day')).not.toBeNull();
      expect(section(texts.get(email)!, 'For you')).toBeNull();
    }
  });

  it('turns "For you" on only for a member’s own address: API, subscribe form, manage link and /account', async () => {
    const { server, db } = ctx;
    const carol = await signedUp(db, server.url);
    const refusal = 'the “For you” section is for members';

    const stranger = await fetch(`${server.url}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'stranger@example.org', forYou: true }),
    });
    expect(stranger.status).toBe(400);
    expect((await stranger.json()).error).toContain(refusal);
    // A member asking for someone else's address is refused alike, and nothing is stored.
    const other = await api(carol, 'POST', '/api/subscriptions', { email: 'dan@example.org', forYou: true });
    expect(other.status).toBe(400);
    expect(await getSubscriberByEmail(db, 'dan@example.org')).toBeNull();
    const own = await api(carol, 'POST', '/api/subscriptions', { email: carol.email.toUpperCase(), forYou: true });
    expect(own.status).toBe(202);
    expect(await getSubscriberByEmail(db, carol.email)).toMatchObject({ forYou: true, status: 'pending' });

    // The form offers the box only to a member, and refuses it from a visitor.
    expect((await carol.page('/subscribe')).html).toContain('name="for_you"');
    const visitorForm = await fetch(`${server.url}/subscribe`);
    expect(await visitorForm.text()).not.toContain('name="for_you"');
    const posted = await fetch(`${server.url}/subscribe`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'visitor@example.org', top: '1', for_you: '1' }),
    });
    expect(posted.status).toBe(400);
    expect(await posted.text()).toContain(refusal);

    // A manage link proves the mailbox: it is told plainly when the address has no account.
    const outsider = await activeSubscriber(db, 'outsider@example.org');
    const manage = signedLink(server.ctx.config.BASE_URL, SECRET, 'manage', outsider).replace(
      server.ctx.config.BASE_URL,
      server.url,
    );
    const refused = await fetch(manage, {
      method: 'POST',
      body: new URLSearchParams({ frequency: 'daily', top: '1', for_you: '1' }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('needs a member account with this address');
    expect((await getSubscriberByEmail(db, 'outsider@example.org'))!.forYou).toBe(false);

    // On /account the member turns it off and on for the digest to their address.
    expect((await carol.page('/account')).html).toContain('Waiting for confirmation');
    expect((await carol.post('/account/digest', {})).status).toBe(200);
    expect((await getSubscriberByEmail(db, carol.email))!.forYou).toBe(false);
    const on = await carol.post('/account/digest', { for_you: '1' });
    expect(await on.text()).toContain('Your digest has a “For you” section now.');
    expect((await getSubscriberByEmail(db, carol.email))!.forYou).toBe(true);
  });

  it('sends a followed author made a digest topic as a section of their new papers', async () => {
    const erin = await signedUp(ctx.db, ctx.server.url);
    await erin.page('/for-you');
    await erin.post('/follows', { kind: 'author', target: 'Vera Rubin', return_to: '/for-you' });
    const made = await erin.post('/follows/digest', {
      kind: 'author',
      target: 'vera rubin',
      in_digest: '1',
      return_to: '/for-you',
    });
    expect(made.status).toBe(303);
    expect((await erin.page('/for-you')).html).toContain('a topic of your email digest');
    expect((await erin.json('GET', '/api/follows')).body).toMatchObject([
      { kind: 'author', target: 'vera rubin', inDigest: true },
    ]);
    // By the API too, with an author whose name needs escaping.
    const hostile = await api(erin, 'POST', '/api/follows', {
      kind: 'author',
      target: '<b>Eve</b> & Co',
      inDigest: true,
    });
    expect(hostile.status).toBe(200);
    await activeSubscriber(ctx.db, erin.email, { includeTop: false, topics: ['cs.CL'] });

    const text = (await deliver()).get(erin.email)!;
    expect(paperIdsIn(section(text, 'New from Vera Rubin')!)).toEqual(expect.arrayContaining(RUBIN));
    expect(section(text, 'New in cs.CL')).not.toBeNull();
    expect(section(text, 'Top papers of the day')).toBeNull();
    const html = htmlTo(erin.email);
    expect(html).toContain('New from &lt;b&gt;Eve&lt;/b&gt; &amp; Co');
    expect(html).not.toContain('<b>Eve</b>');

    // Taken out of the digest, the follow stays but its section goes.
    await erin.post('/follows/digest', { kind: 'author', target: 'vera rubin', in_digest: '0' });
    expect(section((await deliver()).get(erin.email)!, 'New from Vera Rubin')).toBeNull();
  });

  it('refuses hostile and malformed input to the new fields', async () => {
    const { server } = ctx;
    const frank = await signedUp(ctx.db, server.url);
    await frank.page('/for-you');
    await frank.post('/follows', { kind: 'category', target: 'cs.CL' });
    for (const in_digest of ['2', 'yes', '', '1'.repeat(10_000)])
      expect((await frank.post('/follows/digest', { kind: 'category', target: 'cs.CL', in_digest })).status).toBe(400);
    expect(
      (await frank.post('/follows/digest', { kind: 'author', target: 'nobody here', in_digest: '1' })).status,
    ).toBe(404);
    expect((await frank.post('/follows/digest', { kind: 'planet', target: 'mars', in_digest: '1' })).status).toBe(400);
    const visitor = await fetch(`${server.url}/follows/digest`, {
      method: 'POST',
      body: new URLSearchParams({ kind: 'category', target: 'cs.CL', in_digest: '1' }),
    });
    expect([401, 403]).toContain(visitor.status);
    // Without the form's CSRF token nothing changes.
    expect((await frank.post('/account/digest', { for_you: '1', _csrf: 'forged' })).status).toBe(403);

    for (const inDigest of ['true', 1, null, { $ne: 1 }]) {
      const answer = await api(frank, 'POST', '/api/follows', { kind: 'category', target: 'cs.CL', inDigest });
      expect(answer.status).toBe(400);
    }
    for (const forYou of ['true', 1, [true]]) {
      const answer = await api(frank, 'POST', '/api/subscriptions', { email: frank.email, forYou });
      expect(answer.status).toBe(400);
    }
    expect((await frank.json('GET', '/api/follows')).body).toMatchObject([{ target: 'cs.CL', inDigest: false }]);
  });
});
