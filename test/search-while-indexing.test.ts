import { describe, expect, it } from 'vitest';
import { embedPendingPapers } from '../src/search/embed-job.js';
import { upsertPapers } from '../src/store/papers.js';
import { PARAPHRASED_ID, topicPapers } from './factories/topics.js';
import { testDatabases, type TestDatabase } from './helpers/db.js';
import { serveFreshDatabase } from './helpers/server.js';

/**
 * A server with vectors stored whose index it has not loaded or built yet (a fresh start on a large
 * corpus). The first request that needs the index starts the build, so each case has its own server.
 */
function whileIndexing(create: TestDatabase['create']) {
  const ctx = serveFreshDatabase(create, async (db, app) => {
    await upsertPapers(db, topicPapers());
    await embedPendingPapers(app);
  });
  return { ctx, get: (path: string) => fetch(`${ctx.server.url}${path}`) };
}
const ids = async (response: Response) =>
  ((await response.json()) as Array<{ paper: { id: string } }>).map((p) => p.paper.id);

describe.each(testDatabases())('searching while the vector index is being built, on $dialect', ({ create }) => {
  describe('the API', () => {
    const { ctx, get } = whileIndexing(create);
    it('answers hybrid by words at once and says so, then by meaning once the index is ready', async () => {
      const hybrid = await get('/api/papers/search?q=automobile&limit=6');
      expect(hybrid.status).toBe(200);
      expect(hybrid.headers.get('x-search-mode')).toBe('lexical');
      expect(hybrid.headers.get('cache-control')).toBe('no-store');
      expect(await ids(hybrid)).not.toContain(PARAPHRASED_ID);

      await ctx.server.ctx.vectorIndexes.active(ctx.db); // the build the first request started, finished
      const ready = await get('/api/papers/search?q=automobile&limit=6');
      expect(ready.headers.get('x-search-mode')).toBe('hybrid');
      expect(ready.headers.get('cache-control')).toMatch(/max-age/);
      expect(await ids(ready)).toContain(PARAPHRASED_ID);
    });
  });

  describe('semantic mode', () => {
    const { get } = whileIndexing(create);
    it('is "not available yet" at once (not a 500, not a wait)', async () => {
      const semantic = await get('/api/papers/search?q=automobile&mode=semantic');
      expect(semantic.status).toBe(400);
      expect(await semantic.json()).toEqual({ error: expect.stringContaining('not available yet') });
    });
  });

  describe('the search page', () => {
    const { ctx, get } = whileIndexing(create);
    it('says its results are ranked by words only until the index is ready', async () => {
      const page = await get('/search?q=automobile');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Ranked by your words only: search by meaning is still being prepared');
      await ctx.server.ctx.vectorIndexes.active(ctx.db);
      expect(await (await get('/search?q=automobile')).text()).not.toContain('Ranked by your words only');
    });
  });
});
