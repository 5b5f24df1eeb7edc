import { beforeAll, describe, expect, it } from 'vitest';
import { embedPendingPapers } from '../../src/search/embed-job.js';
import { upsertPapers } from '../../src/store/papers.js';
import { topicPapers } from '../factories/topics.js';
import { serveCommunity, signedUp, type Member } from '../community/fixtures.js';
import { testDatabases } from '../helpers/db.js';

const feedUrlOf = (html: string) => /<code class="new-feed-url">([^<]+)<\/code>/.exec(html)?.[1];
const titlesOf = (xml: string) => [...xml.matchAll(/<item>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]!);

describe.each(testDatabases())('private For you feeds on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);
  let ada: Member;
  let bob: Member;

  beforeAll(async () => {
    const { db, server } = ctx;
    const today = new Date().toISOString().slice(0, 10);
    await upsertPapers(
      db,
      topicPapers().map((p) => ({ ...p, publishedOn: today })),
      { featuredOn: today },
    );
    await embedPendingPapers(server.ctx);
    await server.ctx.vectorIndexes.active(db);
    ada = await signedUp(db, server.url);
    bob = await signedUp(db, server.url);
  });

  /** Makes (or replaces) a member's feed on /account and returns its RSS URL, shown once. */
  async function makeFeed(member: Member): Promise<string> {
    await member.page('/account');
    const made = await member.post('/account/feed', {});
    expect(made.status).toBe(201);
    const url = feedUrlOf(await made.text());
    expect(url).toMatch(/\/for-you\/[\w-]{40,}\/feed\.xml$/);
    return url!;
  }

  it("serves a member's recommendations as RSS and Atom at a secret URL, kept only as a hash, private to caches", async () => {
    await ada.page('/');
    await ada.post('/vote', { paper: '2501.00200', direction: 'up', return_to: '/' });
    const url = await makeFeed(ada);
    const rss = await fetch(url);
    expect(rss.status).toBe(200);
    expect(rss.headers.get('content-type')).toMatch(/^application\/rss\+xml/);
    expect(rss.headers.get('cache-control')).toBe('private, max-age=300');
    const titles = titlesOf(await rss.text());
    expect(titles.slice(0, 3)).toEqual(expect.arrayContaining([expect.stringMatching(/Protein|Enzyme/)]));
    expect(titles).not.toContain('Protein folding kinetics');
    const atom = await fetch(url.replace(/feed\.xml$/, 'atom.xml'));
    expect(atom.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    expect(await atom.text()).toContain('<title type="text">For you, ');
    const token = /\/for-you\/([^/]+)\//.exec(url)![1]!;
    const stored = await ctx.db.kysely.selectFrom('personal_feeds').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await ada.page('/account')).html).not.toContain(token);
  });

  it('stops the old URL when the feed is replaced, and every URL when it is turned off', async () => {
    const first = await makeFeed(ada);
    const second = await makeFeed(ada);
    expect((await fetch(first)).status).toBe(404);
    expect((await fetch(second)).status).toBe(200);
    await ada.page('/account');
    expect((await ada.post('/account/feed/revoke', {})).status).toBe(303);
    expect((await fetch(second)).status).toBe(404);
    expect((await ada.page('/account')).html).toContain('Make a private feed');
  });

  it("never shows one member's feed to another, nor to a guessed or malformed token", async () => {
    await makeFeed(ada);
    const bobs = await fetch(await makeFeed(bob));
    expect(titlesOf(await bobs.text()).length).toBeGreaterThan(0);
    const base = ctx.server.url;
    for (const guess of ['x', 'A'.repeat(43), `${'a'.repeat(200)}`, '%27%3B%20DROP%20TABLE%20personal_feeds%3B--']) {
      const response = await fetch(`${base}/for-you/${guess}/feed.xml`);
      expect([404, 414]).toContain(response.status);
    }
    expect(await ctx.db.kysely.selectFrom('personal_feeds').selectAll().execute()).toHaveLength(2);
  });

  it('needs a signed-in member with the CSRF token to make or end a feed', async () => {
    expect((await ada.post('/account/feed', { _csrf: 'forged' })).status).toBe(403);
  });
});
