import { describe, expect, it } from 'vitest';
import { dailyPaperListJson } from '../../src/api/paper-json.js';
import { embedPendingPapers } from '../../src/search/embed-job.js';
import { setPaperHidden, upsertPapers } from '../../src/store/papers.js';
import { PARAPHRASED_ID, topicPapers } from '../factories/topics.js';
import { testDatabases } from '../helpers/db.js';
import { serveFreshDatabase } from '../helpers/server.js';
import { getJson } from './fixtures.js';

describe.each(testDatabases())('similar papers on $dialect', ({ create }) => {
  const api = serveFreshDatabase(create, async (db, ctx) => {
    await upsertPapers(db, topicPapers());
    await embedPendingPapers(ctx);
    await ctx.vectorIndexes.active(db); // as `serve` warms it at start; until then similar papers are none
    await setPaperHidden(db, '2501.00101', true);
    // Stored after the embedding run: similar papers must still work for it.
    await upsertPapers(db, [
      {
        id: 'hep-th/9901001',
        title: 'Automobile engines and car fuel',
        abstract: 'A car engine and automobile fuel on the road.',
        authors: [],
        categories: ['hep-th'],
        publishedOn: '1999-01-04',
      },
    ]);
  });
  const idsOf = (body: unknown) => dailyPaperListJson.parse(body).map((item) => item.paper.id);

  it('GET /api/papers/{id}/similar lists the nearest papers in the Hub list shape, never the paper itself or hidden ones', async () => {
    const { status, headers, body } = await getJson(`${api.server.url}/api/papers/${PARAPHRASED_ID}/similar?limit=4`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    const ids = idsOf(body);
    expect(ids).toHaveLength(4);
    expect(ids).not.toContain(PARAPHRASED_ID);
    expect(ids).not.toContain('2501.00101');
    expect(ids.every((id) => id.startsWith('2501.001') || id === 'hep-th/9901001')).toBe(true);
  });

  it('works for an id with a slash and for a paper not embedded yet', async () => {
    const { status, body } = await getJson(`${api.server.url}/api/papers/hep-th/9901001/similar?limit=3`);
    expect(status).toBe(200);
    expect(idsOf(body).every((id) => id.startsWith('2501.001'))).toBe(true);
  });

  it('answers 404 for an unknown or hidden paper and 400 for a bad id or limit', async () => {
    const statuses = await Promise.all(
      [
        '2501.09999/similar',
        '2501.00101/similar',
        'not-an-id/similar',
        `${PARAPHRASED_ID}/similar?limit=0`,
        `${PARAPHRASED_ID}/similar?limit=many`,
        `${PARAPHRASED_ID}/similar?limit=1&limit=2`,
      ].map(async (path) => (await getJson(`${api.server.url}/api/papers/${path}`)).status),
    );
    expect(statuses).toEqual([404, 404, 400, 400, 400, 400]);
  });

  it('shows a "Similar papers" section with links on the paper page', async () => {
    const response = await fetch(`${api.server.url}/papers/${PARAPHRASED_ID}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    const section = page.slice(page.indexOf('id="similar-heading"'));
    expect(section).toContain('Similar papers');
    const links = [...section.matchAll(/href="\/papers\/([^"]+)"/g)].map((m) => m[1]).slice(0, 5);
    expect(links).toHaveLength(5);
    // The four other visible vehicle papers, and the car paper stored after the embedding run: it has no
    // vector yet, so it is nobody's neighbour, but its words ("more like this") find it and rank it.
    expect(links.sort()).toEqual(['2501.00100', '2501.00102', '2501.00103', '2501.00105', 'hep-th/9901001']);
    expect(links).not.toContain('2501.00101');
  });

  it('asked again, answers the same list without a paper hidden since, still full', async () => {
    const ask = async () =>
      idsOf((await getJson(`${api.server.url}/api/papers/${PARAPHRASED_ID}/similar?limit=3`)).body);
    const first = await ask();
    expect(await ask()).toEqual(first);
    await setPaperHidden(api.db, first[0]!, true);
    try {
      const again = await ask();
      expect(again).toHaveLength(3);
      expect(again).not.toContain(first[0]);
      expect(again.slice(0, 2)).toEqual(first.slice(1));
    } finally {
      await setPaperHidden(api.db, first[0]!, false);
    }
  });
});
