import { describe, expect, it } from 'vitest';
import { recomputeTrendingScores } from '../../src/rank/recompute.js';
import { upsertPapers } from '../../src/store/papers.js';
import { trendingScore } from '../../src/store/trending.js';
import { paperRecord } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { apiTokenFor, countRows, paperRow, serveCommunity, signedUp, storedPaper } from './fixtures.js';

describe.each(testDatabases())('upvotes on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('upvotes with a plain form post, returns to the page, and withdraws the vote the same way', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    const before = (await paperRow(ctx.db, paper.id)).trending_score;
    const up = await ada.post('/vote', { paper: paper.id, direction: 'up', return_to: '/papers/trending' });
    expect(up.status).toBe(303);
    expect(up.headers.get('location')).toBe('/papers/trending');
    const voted = await paperRow(ctx.db, paper.id);
    expect(voted.upvotes).toBe(1);
    expect(voted.trending_score).toBeGreaterThan(before);
    const page = await ada.page('/papers/trending');
    expect(page.html).toMatch(
      new RegExp(`<form class="vote voted"[^>]*data-paper-id="${paper.id.replace('.', '\\.')}"`),
    );
    expect(page.html).toContain('value="down" aria-pressed="true"');

    expect((await ada.post('/vote', { paper: paper.id, direction: 'down', return_to: '/' })).status).toBe(303);
    expect((await paperRow(ctx.db, paper.id)).upvotes).toBe(0);
  });

  it('answers fetch() with the new count, and refuses a second upvote with 409 leaving the count alone', async () => {
    const paper = await storedPaper(ctx.db);
    const [ada, bob] = [await signedUp(ctx.db, ctx.server.url), await signedUp(ctx.db, ctx.server.url)];
    const form = (direction: string) => new URLSearchParams({ _csrf: '', paper: paper.id, direction }).toString();
    const send = (client: WebClient, direction: string) =>
      client.request('POST', '/vote', {
        body: form(direction),
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'x-csrf-token': client.csrfToken,
        },
      });
    expect(await (await send(ada, 'up')).json()).toEqual({ voted: true, upvotes: 1 });
    expect(await (await send(bob, 'up')).json()).toEqual({ voted: true, upvotes: 2 });
    const twice = await send(ada, 'up');
    expect(twice.status).toBe(409);
    expect(await twice.json()).toEqual({ error: 'You have already upvoted this paper.', voted: true, upvotes: 2 });
    expect((await paperRow(ctx.db, paper.id)).upvotes).toBe(2);
    const notVoted = await send(ada, 'down');
    expect(notVoted.status).toBe(200);
    const again = await send(ada, 'down');
    expect(again.status).toBe(409);
    expect((await again.json()).error).toBe('You have not upvoted this paper.');
    expect((await paperRow(ctx.db, paper.id)).upvotes).toBe(1);
  });

  it('refuses a vote without the CSRF token, from a visitor, and on a paper that does not exist', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    const forged = await ada.post('/vote', { paper: paper.id, direction: 'up', _csrf: 'forged' });
    expect(forged.status).toBe(403);
    const visitor = new WebClient(ctx.server.url);
    await visitor.page('/login');
    const anonymous = await visitor.post('/vote', { paper: paper.id, direction: 'up' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('Log in to upvote papers.');
    const missing = await ada.post('/vote', { paper: '2501.99999', direction: 'up' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('There is no paper 2501.99999 to vote on.');
    const hostile = await ada.post('/vote', { paper: '<script>alert(1)</script>', direction: 'up' });
    expect(hostile.status).toBe(404);
    expect(await hostile.text()).not.toContain('<script>alert(1)</script>');
    expect((await ada.post('/vote', { paper: paper.id, direction: 'sideways' })).status).toBe(400);
    expect((await paperRow(ctx.db, paper.id)).upvotes).toBe(0);
    expect(await countRows(ctx.db, 'votes')).toBe(
      Number(
        (
          await ctx.db.kysely
            .selectFrom('papers')
            .select((eb) => eb.fn.sum<number>('upvotes').as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
  });

  it('lets scripts vote with a Bearer token through PUT and DELETE /api/votes/{id}', async () => {
    const paper = await storedPaper(ctx.db, {
      id: 'hep-th/9901001',
      publishedOn: new Date().toISOString().slice(0, 10),
    });
    const ada = await signedUp(ctx.db, ctx.server.url);
    const token = await apiTokenFor(ada, 'voter');
    const script = new WebClient(ctx.server.url, { authorization: `Bearer ${token}` });
    expect((await script.json('PUT', `/api/votes/${paper.id}`)).body).toEqual({
      paperId: paper.id,
      voted: true,
      upvotes: 1,
    });
    expect((await script.json('PUT', `/api/votes/${paper.id}`)).status).toBe(409);
    expect((await script.json('DELETE', `/api/votes/${paper.id}`)).body).toEqual({
      paperId: paper.id,
      voted: false,
      upvotes: 0,
    });
    expect((await script.json('PUT', '/api/votes/9999.99999')).status).toBe(404);
  });

  it('keeps the count equal to the vote rows when many members vote at once', async () => {
    const paper = await storedPaper(ctx.db);
    const members = await Promise.all(Array.from({ length: 12 }, () => signedUp(ctx.db, ctx.server.url)));
    await Promise.all(members.map((m) => m.post('/vote', { paper: paper.id, direction: 'up' })));
    await Promise.all(members.slice(0, 5).map((m) => m.post('/vote', { paper: paper.id, direction: 'down' })));
    const rows = await ctx.db.kysely
      .selectFrom('votes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('paper_id', '=', paper.id)
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(7);
    expect((await paperRow(ctx.db, paper.id)).upvotes).toBe(7);
  });

  it('ranks /papers/trending by recent votes: an older paper drawing votes now overtakes a fresh quiet one', async () => {
    const older = await storedPaper(ctx.db, { title: 'Older but rising' });
    await storedPaper(ctx.db, { title: 'Newer, quiet' });
    await ctx.db.kysely
      .updateTable('papers')
      .set({ submitted_at: new Date(Date.now() - 48 * 3600_000).toISOString() })
      .where('id', '=', older.id)
      .execute();
    // Papers featured by import have no score until the periodic recompute.
    expect((await recomputeTrendingScores(ctx.db)).changed).toBeGreaterThanOrEqual(2);
    expect((await recomputeTrendingScores(ctx.db)).changed).toBe(0);
    const position = (html: string, title: string) => html.indexOf(title);
    let html = (await new WebClient(ctx.server.url).page('/papers/trending')).html;
    expect(position(html, 'Newer, quiet')).toBeLessThan(position(html, 'Older but rising'));

    const voters = await Promise.all([
      signedUp(ctx.db, ctx.server.url),
      signedUp(ctx.db, ctx.server.url),
      signedUp(ctx.db, ctx.server.url),
    ]);
    for (const voter of voters) await voter.post('/vote', { paper: older.id, direction: 'up' });
    html = (await new WebClient(ctx.server.url).page('/papers/trending')).html;
    expect(position(html, 'Older but rising')).toBeGreaterThan(-1);
    expect(position(html, 'Older but rising')).toBeLessThan(position(html, 'Newer, quiet'));
    expect(html).toContain(`href="/login?next=%2Fpapers%2Ftrending"`);
    // The votes kept the stored score exact: a recompute finds nothing to change.
    expect((await recomputeTrendingScores(ctx.db)).changed).toBe(0);
  });
});

describe.each(testDatabases())('the periodic trending recompute on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('scores every featured paper of a feed larger than one pass, and a vote on one of the last of them', async () => {
    const records = Array.from({ length: 1_203 }, () => paperRecord());
    await upsertPapers(ctx.db, records, { featuredOn: '2026-11-27', submittedBy: 'curator' });
    const last = records.at(-1)!;
    const ada = await signedUp(ctx.db, ctx.server.url);
    await ctx.db.kysely.updateTable('papers').set({ trending_score: 0 }).execute();
    expect((await ada.post('/vote', { paper: last.id, direction: 'up' })).status).toBe(303);
    // Every paper but the voted one, which its vote scored from its rows already.
    expect((await recomputeTrendingScores(ctx.db)).changed).toBe(1_202);
    const unscored = await ctx.db.kysely
      .selectFrom('papers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('featured_on', 'is not', null)
      .where('trending_score', '=', 0)
      .executeTakeFirstOrThrow();
    expect(Number(unscored.n)).toBe(0);
    const [voted, quiet] = [await paperRow(ctx.db, last.id), await paperRow(ctx.db, records[0]!.id)];
    expect(voted.trending_score).toBeGreaterThan(quiet.trending_score);
    // Written in batches, each score is still the one its paper's own events give.
    expect(quiet.trending_score).toBeCloseTo(trendingScore(Date.parse(quiet.submitted_at!), []), 9);
    expect((await recomputeTrendingScores(ctx.db)).changed).toBe(0);
  });

  it('scores only what arrived since the last sweep, and rescores a voted paper from when it is featured', async () => {
    const first = Array.from({ length: 600 }, () => paperRecord());
    await upsertPapers(ctx.db, first, { featuredOn: '2026-11-27' });
    expect(await recomputeTrendingScores(ctx.db)).toEqual({ read: 600, changed: 600 });
    expect(await recomputeTrendingScores(ctx.db)).toEqual({ read: 0, changed: 0 });
    const scoredBefore = await paperRow(ctx.db, first[0]!.id);

    // A paper voted on before it is featured (its score counts from its publication), then featured by the next day's ingest.
    const early = paperRecord({ publishedOn: '2026-11-01' });
    await upsertPapers(ctx.db, [early]);
    const ada = await signedUp(ctx.db, ctx.server.url);
    expect((await ada.post('/vote', { paper: early.id, direction: 'up' })).status).toBe(303);
    const unfeaturedScore = (await paperRow(ctx.db, early.id)).trending_score;
    const next = Array.from({ length: 3 }, () => paperRecord());
    await upsertPapers(ctx.db, [early, ...next], { featuredOn: '2026-11-28' });

    // The 600 scored papers are not read again; the three new ones and the re-entered one are.
    expect(await recomputeTrendingScores(ctx.db)).toEqual({ read: 4, changed: 4 });
    expect((await paperRow(ctx.db, first[0]!.id)).trending_score).toBe(scoredBefore.trending_score);
    const { created_at: votedAt } = await ctx.db.kysely
      .selectFrom('votes')
      .select('created_at')
      .where('paper_id', '=', early.id)
      .executeTakeFirstOrThrow();
    const featured = await paperRow(ctx.db, early.id);
    expect(featured.trending_score).not.toBe(unfeaturedScore);
    expect(featured.trending_score).toBeCloseTo(
      trendingScore(Date.parse(featured.submitted_at!), [Date.parse(votedAt)]),
      9,
    );
    expect((await recomputeTrendingScores(ctx.db)).changed).toBe(0);
  });
});

describe.each(testDatabases())('vote abuse limits on $dialect', ({ create }) => {
  const ctx = serveCommunity(create, { NEW_ACCOUNT_DELAY_MINUTES: '30', RATE_LIMIT_VOTE: '2,100/1m' });

  it('makes new accounts wait before voting', async () => {
    const paper = await storedPaper(ctx.db);
    const fresh = await signedUp(ctx.db, ctx.server.url, 'member', { createdAt: new Date(Date.now() - 5 * 60_000) });
    const response = await fresh.post('/vote', { paper: paper.id, direction: 'up' });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain(
      'New accounts can vote 30 minutes after signing up; try again in 25 minutes.',
    );
    expect((await paperRow(ctx.db, paper.id)).upvotes).toBe(0);
  });

  it('answers 429 with Retry-After past the per-account vote limit', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url, 'member', { createdAt: new Date(Date.now() - 3600_000) });
    expect((await ada.post('/vote', { paper: paper.id, direction: 'up' })).status).toBe(303);
    expect((await ada.post('/vote', { paper: paper.id, direction: 'down' })).status).toBe(303);
    const limited = await ada.json('PUT', `/api/votes/${paper.id}`, undefined, { 'x-csrf-token': ada.csrfToken });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toContain('Too many vote attempts.');
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await paperRow(ctx.db, paper.id)).upvotes).toBe(0);
  });
});

describe.each(testDatabases())('the daily list as votes and comments come in, on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('orders the day by upvotes, ties to the earlier submission, and reports comment counts and submitters in the API', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const [first, second] = [await storedPaper(ctx.db, {}, null), await storedPaper(ctx.db, {}, null)];
    const [ada, bob] = [await signedUp(ctx.db, ctx.server.url), await signedUp(ctx.db, ctx.server.url)];
    expect((await ada.post('/submit', { paper: first.id })).status).toBe(201);
    expect((await bob.post('/submit', { paper: second.id })).status).toBe(201);
    const list = async () =>
      (await new WebClient(ctx.server.url).json('GET', `/api/daily_papers?date=${day}`)).body as any[];
    await ada.post('/vote', { paper: second.id, direction: 'up' });
    await bob.post('/vote', { paper: first.id, direction: 'up' });
    let papers = await list();
    expect(papers.map((p) => p.paper.id)).toEqual([first.id, second.id]);
    expect(papers.map((p) => p.paper.upvotes)).toEqual([1, 1]);
    expect(papers[1].submittedBy.name).toBe(bob.username);

    await bob.post('/vote', { paper: second.id, direction: 'up' });
    await ada.json('POST', '/api/comments', { paperId: first.id, body: 'nice' }, { 'x-csrf-token': ada.csrfToken });
    papers = await list();
    expect(papers.map((p) => [p.paper.id, p.paper.upvotes, p.numComments])).toEqual([
      [second.id, 2, 0],
      [first.id, 1, 1],
    ]);
    const trending = (await new WebClient(ctx.server.url).json('GET', `/api/daily_papers?sort=trending`)).body as any[];
    expect(trending[0].paper.id).toBe(second.id);
  });
});
