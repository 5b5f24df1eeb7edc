import { describe, expect, it } from 'vitest';
import { dailyPaperListJson, paperJson } from '../../src/api/paper-json.js';
import { upsertPapers } from '../../src/store/papers.js';
import { featurePapers, paperRecord } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { serveFreshDatabase } from '../helpers/server.js';
import { getJson } from './fixtures.js';

const HOSTILE_TITLE = 'Sparse <script>alert("x")</script> attention & $O(n^2)$ costs in \\emph{transformers}';
const DOI = 'doi:10.1101/2024.01.02.123456';

describe.each(testDatabases())('paper API routes on $dialect', ({ create }) => {
  let featured: string;
  let hiddenId: string;
  const api = serveFreshDatabase(create, async (db) => {
    [featured] = await featurePapers(db, [
      {
        day: '2026-11-27',
        submitter: 'grace',
        upvotes: 7,
        record: {
          title: HOSTILE_TITLE,
          abstract:
            'We prune attention heads. Code: https://github.com/acme/sparse and project page https://acme.example.org/sparse.',
          authors: [{ name: 'Ada Lovelace' }, { name: '[Mallory](javascript:alert(1))' }],
          publishedOn: '2026-11-25',
        },
      },
    ]);
    [hiddenId] = await featurePapers(db, [{ day: '2026-11-27', hidden: true }]);
    await upsertPapers(db, [
      paperRecord({
        id: 'hep-th/9901001',
        title: 'Strings on branes',
        abstract: 'An old-style paper.',
        publishedOn: '1999-01-04',
      }),
      paperRecord({ id: DOI, title: 'A bioRxiv preprint', abstract: 'Cells.', publishedOn: null }),
      paperRecord({
        id: '2203.06604',
        title: 'Masked autoencoders',
        abstract: 'Vision pretraining with sparse attention.',
        version: 2,
      }),
    ]);
  });

  describe('GET /api/papers/{id}', () => {
    it('answers a featured paper with the Hub fields, title and abstract verbatim', async () => {
      const { status, headers, body } = await getJson(`${api.server.url}/api/papers/${featured}`);
      expect(status).toBe(200);
      expect(headers.get('cache-control')).toBe('public, max-age=60');
      expect(paperJson.parse(body)).toEqual({
        id: featured,
        title: HOSTILE_TITLE,
        summary: expect.stringContaining('We prune attention heads.'),
        authors: [
          { _id: `${featured}#0`, name: 'Ada Lovelace', hidden: false },
          { _id: `${featured}#1`, name: '[Mallory](javascript:alert(1))', hidden: false },
        ],
        publishedAt: '2026-11-25T00:00:00.000Z',
        upvotes: 7,
        numComments: 0,
        discussionId: featured,
        submittedOnDailyAt: '2026-11-27T00:00:00.000Z',
        submittedOnDailyBy: { _id: 'grace', user: 'grace', name: 'grace', fullname: 'grace', type: 'user' },
        githubRepo: 'https://github.com/acme/sparse',
        projectPage: 'https://acme.example.org/sparse',
        categories: ['cs.LG', 'cs.AI'],
        source: 'arxiv',
        thumbnail: `${api.server.url}/thumbnails/${featured}.webp`,
      });
    });

    it.each([
      ['an old-style id with its slash', 'hep-th/9901001', 'hep-th/9901001'],
      ['an old-style id with an encoded slash', 'hep-th%2F9901001', 'hep-th/9901001'],
      ['a versioned id', '2203.06604v2', '2203.06604'],
      ['an arXiv: prefixed id', 'arXiv:2203.06604', '2203.06604'],
      ['a source:id with a slash', DOI, DOI],
    ])('finds %s', async (_label, path, id) => {
      const { status, body } = await getJson(`${api.server.url}/api/papers/${path}`);
      expect(status).toBe(200);
      expect(body.id).toBe(id);
    });

    it('answers a paper that was never featured without the feed fields, as the Hub leaves out what it lacks', async () => {
      const { body } = await getJson(`${api.server.url}/api/papers/${encodeURIComponent(DOI)}`);
      expect(body).toMatchObject({ id: DOI, source: 'doi' });
      for (const field of ['publishedAt', 'submittedOnDailyAt', 'submittedOnDailyBy', 'githubRepo', 'githubStars'])
        expect(body).not.toHaveProperty(field);
      expect(Object.values(body)).not.toContain(null);
    });

    it('answers 404 in JSON for an unknown or hidden paper', async () => {
      for (const id of ['2301.99999', hiddenId]) {
        const { status, body } = await getJson(`${api.server.url}/api/papers/${id}`);
        expect(status).toBe(404);
        expect(body).toEqual({ error: `no paper with id ${id}` });
      }
    });

    it.each([
      ['a word', 'nope'],
      ['a path traversal', '..%2F..%2Fetc%2Fpasswd'],
      ['an SQL injection', encodeURIComponent("2203.06604' OR '1'='1")],
      ['markup', encodeURIComponent('<script>alert(1)</script>')],
      ['an impossible month', '2213.06604'],
      ['10 KB', 'x'.repeat(10_000)],
      ['an empty id', ''],
    ])('answers 400 for %s', async (_label, path) => {
      const { status, body } = await getJson(`${api.server.url}/api/papers/${path}`);
      expect(status).toBe(400);
      expect(body.error).toMatch(/^id: not a paper id/);
    });
  });

  describe('GET /api/papers/search', () => {
    const search = (query: string) => getJson(`${api.server.url}/api/papers/search${query}`);

    it('ranks a title match above an abstract-only match, as Hub list items', async () => {
      const { status, body } = await search('?q=sparse+attention');
      expect(status).toBe(200);
      const items = dailyPaperListJson.parse(body);
      expect(items.map((item) => item.paper.id)).toEqual([featured, '2203.06604']);
      expect(items[0]).toMatchObject({
        title: HOSTILE_TITLE,
        publishedAt: '2026-11-27T00:00:00.000Z',
        submittedBy: { user: 'grace' },
      });
      expect(items[1]).not.toHaveProperty('publishedAt');
      expect(items[1]).not.toHaveProperty('submittedBy');
      expect(items[1]!.paper).not.toHaveProperty('submittedOnDailyAt');
    });

    it('honours limit', async () => {
      expect((await search('?q=sparse&limit=1')).body).toHaveLength(1);
    });

    it('without q lists the latest featured papers, as list_papers() expects', async () => {
      expect((await search('')).body.map((item: any) => item.paper.id)).toEqual([featured]);
    });

    it('treats injection strings, markup and unicode as plain words', async () => {
      for (const q of [
        "' OR 1=1; DROP TABLE papers; --",
        '<script>alert(1)</script>',
        'NEAR(attention sparse)',
        '注意 機構',
        '"unbalanced',
      ]) {
        const { status, body } = await search(`?q=${encodeURIComponent(q)}`);
        expect(status).toBe(200);
        expect(Array.isArray(body)).toBe(true);
      }
      expect((await getJson(`${api.server.url}/api/papers/${featured}`)).status).toBe(200);
    });

    it.each([
      ['q of 10 KB', `?q=${'a'.repeat(10_000)}`, /^q: must be at most 500 characters/],
      ['q given twice', '?q=a&q=b', /^q: expected a single text value/],
      ['limit=0', '?q=a&limit=0', /^limit: /],
      ['limit=1000', '?q=a&limit=1000', /^limit: /],
    ])('answers 400 for %s', async (_label, query, message) => {
      const { status, body } = await search(query);
      expect(status).toBe(400);
      expect(body.error).toMatch(message);
    });
  });

  describe('GET /papers/{id}.md', () => {
    const markdown = async (path: string) => {
      const response = await fetch(`${api.server.url}/papers/${path}.md`);
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    };

    it('renders the paper as Markdown with title, authors, links and abstract, markup made inert', async () => {
      const { status, type, text } = await markdown(featured);
      expect(status).toBe(200);
      expect(type).toBe('text/markdown; charset=utf-8');
      expect(text).toContain(
        '# Sparse \\<script\\>alert("x")\\</script\\> attention & $O(n^2)$ costs in \\emph{transformers}\n',
      );
      expect(text).toContain('**Authors:** Ada Lovelace, \\[Mallory\\](javascript:alert(1))');
      expect(text).toContain(`[arXiv](<https://arxiv.org/abs/${featured}>)`);
      expect(text).toContain(`[PDF](<https://arxiv.org/pdf/${featured}>)`);
      expect(text).toContain('[Code](<https://github.com/acme/sparse>)');
      expect(text).toContain('[Project page](<https://acme.example.org/sparse>)');
      expect(text).toContain(`[Discussion](<${api.server.ctx.config.BASE_URL}/papers/${featured}>)`);
      expect(text).toContain('## Abstract\n\nWe prune attention heads.');
      expect(text).not.toContain('<script>');
    });

    it.each([
      ['an old-style id', 'hep-th/9901001', '# Strings on branes'],
      ['a versioned id', '2203.06604v2', '# Masked autoencoders'],
      ['a source:id with an encoded slash', encodeURIComponent(DOI), '# A bioRxiv preprint'],
    ])('serves %s', async (_label, path, heading) => {
      const { status, text } = await markdown(path);
      expect(status).toBe(200);
      expect(text.startsWith(`${heading}\n`)).toBe(true);
    });

    it('answers 404 for an unknown paper and 400 for a malformed id, in JSON', async () => {
      expect(await getJson(`${api.server.url}/papers/2301.99999.md`)).toMatchObject({
        status: 404,
        body: { error: 'no paper with id 2301.99999' },
      });
      expect(await getJson(`${api.server.url}/papers/not-an-id.md`)).toMatchObject({
        status: 400,
        body: { error: expect.stringMatching(/^id: /) },
      });
    });
  });

  it('answers unknown API routes and undecodable URLs without a 500', async () => {
    expect(await getJson(`${api.server.url}/api/no/such/route`)).toEqual(
      expect.objectContaining({ status: 404, body: { error: 'no API route GET /api/no/such/route' } }),
    );
    const undecodable = await getJson(`${api.server.url}/api/papers/%E0%A4%A`);
    expect(undecodable.status).toBe(400);
    expect(undecodable.body.error).toBeTruthy();
  });
});
