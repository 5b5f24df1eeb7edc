import { describe, expect, it } from 'vitest';
import { paperRow, serveCommunity, signedUp, storedPaper } from '../community/fixtures.js';
import { testDatabases } from '../helpers/db.js';

const upvotesOf = (list: Array<{ paper: { id: string; upvotes: number } }>, id: string) => list.find((item) => item.paper.id === id)?.paper.upvotes;

describe.each(testDatabases())('shared answers of the public API on $dialect', ({ create }) => {
  const ctx = serveCommunity(create, { PAGE_CACHE_MS: '60000' });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(ctx.server.url + path, { headers });

  it('answers a request, however its parameters are spelled, from one render, with an ETag that a conditional request matches', async () => {
    const paper = await storedPaper(ctx.db);
    const first = await get('/api/daily_papers');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(upvotesOf(await first.json(), paper.id)).toBe(0);

    // A change the server did not make itself (an import in another process) shows once the entry expires.
    await ctx.db.kysely.updateTable('papers').set({ upvotes: 7 }).where('id', '=', paper.id).execute();
    const again = await get('/api/daily_papers?limit=050&p=0');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=60');
    expect(upvotesOf(await again.json(), paper.id)).toBe(0);

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const notModified = await get('/api/daily_papers', { 'if-none-match': ifNoneMatch });
      expect(notModified.status, ifNoneMatch).toBe(304);
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(await notModified.text()).toBe('');
    }
    expect((await get('/api/daily_papers', { 'if-none-match': '"other"' })).status).toBe(200);
    // Another query is another answer; a bad one is still refused.
    expect((await get('/api/daily_papers?limit=1')).headers.get('etag')).not.toBe(etag);
    expect((await get('/api/daily_papers?limit=0')).status).toBe(400);
  });

  it('a vote through this server shows on the very next read, anonymous or not, with a new ETag', async () => {
    const paper = await storedPaper(ctx.db);
    // A query not asked before, so the first read renders with this paper in it.
    const list = '/api/daily_papers?limit=40';
    const before = await get(list);
    expect(upvotesOf(await before.json(), paper.id)).toBe((await paperRow(ctx.db, paper.id)).upvotes);
    const ada = await signedUp(ctx.db, ctx.server.url);
    expect((await ada.post('/vote', { paper: paper.id, direction: 'up', return_to: '/' })).status).toBe(303);

    const after = await get(list);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(upvotesOf(await after.json(), paper.id)).toBe(1);
    expect(upvotesOf((await ada.json('GET', list)).body, paper.id)).toBe(1);
  });
});
