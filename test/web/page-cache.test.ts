import { describe, expect, it } from 'vitest';
import { serveCommunity, signedUp, storedPaper } from '../community/fixtures.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';

const upvotesOf = (list: Array<{ paper: { id: string; upvotes: number } }>, id: string) =>
  list.find((item) => item.paper.id === id)?.paper.upvotes;

/**
 * The answers shared among anonymous readers are dropped by writes that change what they show (a
 * vote, a comment, a submission, moderation), not by any POST: otherwise a stranger posting a
 * login form in a loop would make every reader's page render afresh.
 */
describe.each(testDatabases())('the shared answer cache on $dialect', ({ create }) => {
  const ctx = serveCommunity(create, { PAGE_CACHE_MS: '60000' });
  const list = '/api/daily_papers?limit=30';
  const sharedUpvotes = async (id: string) => upvotesOf(await (await fetch(ctx.server.url + list)).json(), id);

  it('outlives anonymous and rejected posts, and is dropped by a comment that was posted', async () => {
    const paper = await storedPaper(ctx.db);
    expect(await sharedUpvotes(paper.id)).toBe(0);
    // A change this server did not make (another process): the shared answer keeps the old count until dropped.
    await ctx.db.kysely.updateTable('papers').set({ upvotes: 7 }).where('id', '=', paper.id).execute();

    const stranger = new WebClient(ctx.server.url);
    await stranger.page('/login');
    const member = await signedUp(ctx.db, ctx.server.url);
    const posts: [string, () => Promise<Response>][] = [
      ['wrong password', () => stranger.post('/login', { email: member.email, password: 'not-the-password' })],
      ['login link', () => stranger.post('/login/email', { email: member.email })],
      [
        'sign-up',
        () => stranger.post('/signup', { email: 'new@example.org', username: 'newcomer', password: 'a-long-password' }),
      ],
      [
        'subscribe form',
        () =>
          fetch(`${ctx.server.url}/subscribe`, {
            method: 'POST',
            body: new URLSearchParams({ email: 'x@example.org', top: '1' }),
          }),
      ],
      [
        'subscribe API',
        () =>
          fetch(`${ctx.server.url}/api/subscriptions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"email":"y@example.org"}',
          }),
      ],
      ['anonymous vote', () => new WebClient(ctx.server.url).post('/vote', { paper: paper.id, direction: 'up' })],
      ['malformed vote', () => member.post('/vote', { paper: paper.id, direction: 'sideways' })],
      ['an API token', () => member.post('/account/tokens', { name: 'script' })],
    ];
    for (const [what, post] of posts) {
      const response = await post();
      expect(response.status, what).not.toBe(500);
      expect(await sharedUpvotes(paper.id), what).toBe(0);
    }

    const comment = await member.post('/comments', { paper: paper.id, body: 'A comment that changes the page.' });
    expect(comment.status).toBe(303);
    expect(await sharedUpvotes(paper.id)).toBe(7);
  });
});
