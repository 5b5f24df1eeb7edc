import { beforeAll, describe, expect, it } from 'vitest';
import { embedPendingPapers } from '../../src/search/embed-job.js';
import { upsertPapers } from '../../src/store/papers.js';
import { topicPapers } from '../factories/topics.js';
import { serveCommunity, signedUp, type Member } from '../community/fixtures.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';

const VEHICLES = ['2501.00100', '2501.00101', '2501.00102', '2501.00103', '2501.00104', '2501.00105'];

/** The papers /for-you lists, in order. */
const listed = (html: string) =>
  [...html.matchAll(/<li class="recommendation" data-paper-id="([^"]+)"/g)].map((m) => m[1]!);

describe.each(testDatabases())('the For you page on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);
  let ada: Member;
  let bob: Member;

  beforeAll(async () => {
    const { db, server } = ctx;
    // Published recently, so the default week shows them.
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

  it('sends visitors to log in', async () => {
    const response = await new WebClient(ctx.server.url).request('GET', '/for-you');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Ffor-you');
  });

  it('shows trending papers, and says so, to a member with no signals; a link in the header leads here', async () => {
    const { status, html } = await ada.page('/for-you');
    expect(status).toBe(200);
    expect(html).toContain('You have no upvotes, saves or follows yet, so these are trending papers');
    expect(listed(html).length).toBeGreaterThan(0);
    expect(html).toContain('<a href="/for-you">For you</a>');
  });

  it('learns from an upvote posted by the form: related papers with the upvoted one as the reason', async () => {
    await ada.page('/');
    const voted = await ada.post('/vote', { paper: '2501.00100', direction: 'up', return_to: '/' });
    expect(voted.status).toBe(303);
    const { html } = await ada.page('/for-you');
    const ids = listed(html);
    expect(ids).not.toContain('2501.00100');
    expect(ids.slice(0, 5).every((id) => VEHICLES.includes(id))).toBe(true);
    expect(html).toContain(
      'Like <a href="/papers/2501.00100"><em>Automobile engine efficiency</em></a> that you upvoted',
    );
  });

  it('removes a paper marked "Not interested" and comes back to the same period', async () => {
    const { html } = await ada.page('/for-you?days=30');
    const first = listed(html)[0]!;
    const response = await ada.post('/not-interested', { paper: first, return_to: '/for-you?days=30' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/for-you?days=30');
    expect(listed((await ada.page('/for-you?days=30')).html)).not.toContain(first);
  });

  it('follows and unfollows with forms; a followed author gives the reason, with a link to their page', async () => {
    await ada.page('/for-you');
    expect(
      (await ada.post('/follows', { kind: 'author', target: 'Rosalind Franklin', return_to: '/for-you' })).status,
    ).toBe(303);
    const { html } = await ada.page('/for-you?days=all');
    expect(html).toContain('You follow <a href="/authors/rosalind+franklin"><em>Rosalind Franklin</em></a>');
    expect(html).toMatch(/Author: <a href="\/authors\/rosalind\+franklin">rosalind franklin<\/a>/);
    await ada.post('/follows/delete', { kind: 'author', target: 'rosalind franklin', return_to: '/for-you' });
    expect((await ada.page('/for-you')).html).not.toContain('Author: <a');
  });

  it('escapes a followed search shown on the page', async () => {
    await ada.page('/for-you');
    await ada.post('/follows', { kind: 'search', target: '<script>alert(1)</script> protein', return_to: '/for-you' });
    const { html } = await ada.page('/for-you');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; protein');
  });

  it('refuses bad periods, bad follows, bad papers and posts without the CSRF token', async () => {
    await ada.page('/for-you');
    expect((await ada.page('/for-you?days=abc')).status).toBe(400);
    expect((await ada.page('/for-you?days=7&days=30')).status).toBe(400);
    expect((await ada.post('/follows', { kind: 'planet', target: 'Mars' })).status).toBe(400);
    expect((await ada.post('/follows', { kind: 'category', target: 'x'.repeat(600) })).status).toBe(400);
    expect((await ada.post('/not-interested', { paper: 'not-an-id' })).status).toBe(400);
    expect((await ada.post('/not-interested', { paper: '2501.09999' })).status).toBe(404);
    expect((await ada.post('/follows', { kind: 'category', target: 'cs.CL', _csrf: 'forged' })).status).toBe(403);
    const stranger = new WebClient(ctx.server.url);
    expect((await stranger.post('/not-interested', { paper: '2501.00100' })).status).not.toBe(303);
  });

  it("shows no member another's recommendations or follows", async () => {
    const { html } = await bob.page('/for-you');
    expect(html).toContain('so these are trending papers');
    expect(html).not.toContain('that you upvoted');
    expect(html).not.toContain('protein</a>');
  });
});
