import { describe, expect, it } from 'vitest';
import { featurePapers } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { getPage } from '../helpers/pages.js';
import { serveFreshDatabase } from '../helpers/server.js';
import { getJson } from './fixtures.js';

const nextOf = (headers: Headers) => /^<([^>]+)>; rel="next"$/.exec(headers.get('link') ?? '')?.[1] ?? null;

describe.each(testDatabases())('Hub paging and answers on $dialect', ({ create }) => {
  let ids: string[] = [];
  // Shared answers on, as served: the Link header must come with a cached copy too.
  const api = serveFreshDatabase(
    create,
    async (db) => {
      ids = await featurePapers(
        db,
        Array.from({ length: 5 }, (_, i) => ({
          day: '2026-11-27',
          upvotes: 10 - i,
          record: { title: `Paged sparse paper ${i}`, abstract: `Sparse attention, part ${i}.` },
        })),
      );
    },
    { PAGE_CACHE_MS: '60000' },
  );

  it('/api/daily_papers links each full page to the next, and the last page to none', async () => {
    const seen: string[] = [];
    let url: string | null = `${api.server.url}/api/daily_papers?date=2026-11-27&limit=2`;
    for (let pages = 0; url && pages < 10; pages++) {
      const { status, headers, body } = await getJson(url);
      expect(status).toBe(200);
      seen.push(...body.map((item: { paper: { id: string } }) => item.paper.id));
      url = nextOf(headers);
      if (url) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=2026-11-27&limit=2&p=\d$/);
    }
    expect(seen).toEqual(ids);
    // A shared (cached) copy carries its header too.
    const again = await getJson(`${api.server.url}/api/daily_papers?date=2026-11-27&limit=2`);
    expect(nextOf(again.headers)).toMatch(/p=1$/);
  });

  it('/api/papers/search pages by p or offset with a Link, and takes up to 120 a page', async () => {
    const first = await getJson(`${api.server.url}/api/papers/search?q=sparse&limit=3`);
    expect(first.body).toHaveLength(3);
    expect(nextOf(first.headers)).toMatch(/[?&]q=sparse&limit=3&p=1$/);
    const byOffset = await getJson(`${api.server.url}/api/papers/search?q=sparse&limit=3&offset=3`);
    expect(byOffset.body).toHaveLength(2);
    expect(byOffset.headers.get('link')).toBeNull();
    expect((await getJson(`${api.server.url}/api/papers/search?q=sparse&limit=120`)).status).toBe(200);
    const tooMany = await getJson(`${api.server.url}/api/papers/search?q=sparse&limit=121`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatch(/limit: expected a whole number from 1 to 120/);
  });

  it('a paper page answers Markdown to a client that asks for it, and HTML to browsers', async () => {
    const markdown = await getPage(`${api.server.url}/papers/${ids[0]}`, { headers: { accept: 'text/markdown' } });
    expect(markdown.status).toBe(200);
    expect(markdown.contentType).toBe('text/markdown; charset=utf-8');
    expect(markdown.html).toMatch(/^# Paged sparse paper 0\n/);
    expect(markdown.html).toBe((await getPage(`${api.server.url}/papers/${ids[0]}.md`)).html);
    const browser = await fetch(`${api.server.url}/papers/${ids[0]}`, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'accept-encoding': 'gzip' },
    });
    expect(browser.headers.get('content-type')).toMatch(/^text\/html/);
    expect(browser.headers.get('vary')).toBe('Accept, Accept-Encoding');
    expect(
      (await getPage(`${api.server.url}/papers/${ids[0]}`, { headers: { accept: 'application/json' } })).contentType,
    ).toMatch(/^text\/html/);
  });
});
