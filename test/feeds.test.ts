import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connection.js';
import { upsertPapers } from '../src/store/papers.js';
import { featurePapers, paperRecord, type FeaturedPaper } from './factories/papers.js';
import { testDatabases } from './helpers/db.js';
import { parseValidAtom, parseValidRss } from './helpers/feeds.js';
import { announcedFeeds, footerLinks, getPage } from './helpers/pages.js';
import { serveFreshDatabase, type TestServer } from './helpers/server.js';

const BASE_URL = 'https://papers.example.org';

const author = (name: string) => [{ name }, { name: 'Grace Hopper' }];
const A = paperRecord({
  id: '2611.00001',
  title: 'Sharp bounds where $x<y$ & \\emph{diffusion} <script>alert(1)</script>',
  abstract: 'We prove $\\alpha < \\beta$ & <b>more</b> for diffusion models.',
  authors: author('Ada Lovelace'),
  categories: ['cs.CL'],
});
const B = paperRecord({
  id: '2611.00002',
  title: 'Vision at scale',
  authors: author('Alan Turing'),
  categories: ['cs.CV'],
});
const C = paperRecord({
  id: '2611.00003',
  title: 'Parsing again',
  authors: author('Alan Turing'),
  categories: ['cs.CL', 'cs.LG'],
});
const D = paperRecord({
  id: '2611.00004',
  title: 'A highly upvoted paper',
  authors: author('Émilie du Châtelet'),
  categories: ['cs.CL'],
});
const E = paperRecord({
  id: '2611.00005',
  title: 'Hidden by a moderator',
  authors: author('Alan Turing'),
  categories: ['cs.CL'],
});
const F = paperRecord({
  id: '2611.00006',
  title: 'Diffusion for agents',
  authors: author('Alan Turing'),
  categories: ['cs.AI', 'cs.CL'],
});
const G = paperRecord({
  id: '2611.00007',
  title: 'Diffusion transformers, never featured',
  authors: author('Alan Turing'),
  categories: ['cs.CV'],
  publishedOn: '2026-11-20',
});

/** Featured in this order (so A is submitted before C), with the counters the community layer would set. */
const FEATURED: FeaturedPaper[] = [
  { record: A, day: '2026-11-28', upvotes: 5, trendingScore: 1 },
  { record: B, day: '2026-11-28', upvotes: 9 },
  { record: C, day: '2026-11-28', upvotes: 5 },
  { record: D, day: '2026-11-27', upvotes: 50, trendingScore: 5 },
  { record: E, day: '2026-11-27', upvotes: 100, trendingScore: 100, hidden: true },
  { record: F, day: '2026-11-26', upvotes: 1, trendingScore: 10 },
];

async function seed(db: Db): Promise<void> {
  await featurePapers(db, FEATURED);
  await upsertPapers(db, [G]);
}

/** The seeded app for the enclosing suite; it rechecks feeds on every request, so tests see their writes at once. */
const seededServer = (create: () => Promise<Db>) =>
  serveFreshDatabase(create, seed, { BASE_URL, FEED_RECHECK_MS: '0' });

async function get(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { headers });
  return { response, body: await response.text() };
}

async function rssIds(server: TestServer, path: string): Promise<string[]> {
  const { response, body } = await get(server, path);
  expect(response.status, body).toBe(200);
  return parseValidRss(body).items.map((i) => i.guid!.value!);
}

async function atomIds(server: TestServer, path: string): Promise<string[]> {
  const { response, body } = await get(server, path);
  expect(response.status, body).toBe(200);
  return parseValidAtom(body).entries.map((e) => e.id!.replace('https://arxiv.org/abs/', ''));
}

describe.each(testDatabases())('feeds over HTTP on $dialect', ({ create }) => {
  const context = seededServer(create);

  const variants: Array<[string, string, string[]]> = [
    ['the latest days, newest first, most upvoted first within a day', '', [B, A, C, D, F].map((p) => p.id)],
    ['trending', 'view=trending', [F, D, A, B, C].map((p) => p.id)],
    ['a search, across papers never featured too', 'q=diffusion', [A, F, G].map((p) => p.id)],
    ['a search, trending', 'view=trending&q=diffusion', [F, A, G].map((p) => p.id)],
    ['a category', 'category=cs.CL', [A, C, D, F].map((p) => p.id)],
    ['categories joined by +', 'category=cs.CV+cs.AI', [B, F].map((p) => p.id)],
    ['categories joined by an encoded +', 'category=cs.CV%2Bcs.AI', [B, F].map((p) => p.id)],
    ['an author, whatever the case', 'author=ada%20LOVELACE', [A.id]],
    ['an author, without accents', 'author=Emilie+du+Chatelet', [D.id]],
    ['a minimum of upvotes', 'min_upvotes=6', [B, D].map((p) => p.id)],
    ['a limit', 'limit=2', [B, A].map((p) => p.id)],
    ['filters together', 'category=cs.CL&min_upvotes=5&limit=2&utm_source=reader', [A, C].map((p) => p.id)],
    ['nothing', 'author=nobody', []],
  ];

  it.each(variants)('lists %s, in RSS and in Atom', async (_name, query, expected) => {
    const suffix = query ? `?${query}` : '';
    expect(await rssIds(context.server, `/feed.xml${suffix}`)).toEqual(expected);
    expect(await atomIds(context.server, `/atom.xml${suffix}`)).toEqual(expected);
  });

  it('shows titles and abstracts with LaTeX, < and & as text, linked to our paper pages', async () => {
    const rss = parseValidRss((await get(context.server, '/feed.xml?author=Ada+Lovelace')).body);
    const item = rss.items[0]!;
    expect(item.title).toBe(A.title);
    expect(item.link).toBe(`${BASE_URL}/papers/2611.00001`);
    expect(item.pubDate).toBe('Sat, 28 Nov 2026 00:00:00 GMT');
    expect(item.dc?.creators).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(item.description).toContain(
      '<p>We prove $\\alpha &lt; \\beta$ &amp; &lt;b&gt;more&lt;/b&gt; for diffusion models.</p>',
    );
    expect(item.description).toContain('▲ 5 upvotes · 0 comments · cs.CL');
    expect(rss.title).toBe('Daily papers by Ada Lovelace · dailypapers');
    expect(rss.atom?.links?.[0]?.href).toBe(`${BASE_URL}/feed.xml?author=Ada+Lovelace`);

    const atom = parseValidAtom((await get(context.server, '/atom.xml?author=Ada+Lovelace')).body);
    expect(atom.entries[0]!.title?.value).toBe(A.title);
    expect(atom.entries[0]!.summary?.value).toBe(A.abstract);
    expect(atom.links?.find((l) => l.rel === 'self')?.href).toBe(`${BASE_URL}/atom.xml?author=Ada+Lovelace`);
  });

  it('is announced in <head> and linked in the footer of every day, week and month page', async () => {
    for (const path of [
      '/',
      '/papers/date/2026-11-27',
      '/papers/week/2026-W48',
      '/papers/month/2026-11',
      '/papers/date/2020-01-01',
    ]) {
      const page = await getPage(`${context.server.url}${path}`);
      expect(announcedFeeds(page.html), path).toEqual([
        ['application/rss+xml', 'Daily papers (RSS)', '/feed.xml'],
        ['application/atom+xml', 'Daily papers (Atom)', '/atom.xml'],
      ]);
      expect(footerLinks(page.html), path).toEqual(
        expect.arrayContaining([
          ['Daily papers (RSS)', '/feed.xml'],
          ['Daily papers (Atom)', '/atom.xml'],
        ]),
      );
    }
  });

  it('sends feed content types and caching headers, and answers HEAD', async () => {
    const { response } = await get(context.server, '/feed.xml');
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=900, stale-while-revalidate=3600');
    expect(response.headers.get('etag')).toMatch(/^W\/"[\w-]+"$/);
    expect(response.headers.get('last-modified')).toMatch(/ GMT$/);
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect((await get(context.server, '/atom.xml')).response.headers.get('content-type')).toBe(
      'application/atom+xml; charset=utf-8',
    );
    // Node's fetch asks for gzip and deflate and inflates what comes; a reader that does not ask gets the same document uncompressed.
    const plain = await get(context.server, '/feed.xml', { 'accept-encoding': 'identity' });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(plain.response.headers.get('content-encoding')).toBeNull();
    expect(plain.body).toBe((await get(context.server, '/feed.xml')).body);
    const head = await fetch(`${context.server.url}/feed.xml`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(response.headers.get('etag'));
    expect(await head.text()).toBe('');
  });

  const badRequests: Array<[string, string, string]> = [
    ['an unknown view', '/feed.xml?view=weekly', 'Invalid feed parameter view: must be daily or trending'],
    [
      'a limit that is no number',
      '/feed.xml?limit=abc',
      'Invalid feed parameter limit: must be a whole number from 1 to 200',
    ],
    [
      'a limit above 200',
      '/atom.xml?limit=10000',
      'Invalid feed parameter limit: must be a whole number from 1 to 200',
    ],
    [
      'negative upvotes',
      '/feed.xml?min_upvotes=-1',
      'Invalid feed parameter min_upvotes: must be a whole number from 0 to 1000000000',
    ],
    [
      'a search of 10 KB',
      `/feed.xml?q=${'a'.repeat(10 * 1024)}`,
      'Invalid feed parameter q: must be at most 500 characters',
    ],
    [
      'markup as a category',
      '/feed.xml?category=%3Cscript%3E',
      'Invalid feed parameter category: must be arXiv categories such as cs.CL, joined by + (and - before one to leave it out)',
    ],
    [
      'SQL as a category',
      "/feed.xml?category=cs.CL'%20OR%201=1--",
      'Invalid feed parameter category: must be arXiv categories such as cs.CL, joined by + (and - before one to leave it out)',
    ],
    ['a repeated view', '/feed.xml?view=daily&view=trending', 'Invalid feed parameter view: give it only once'],
  ];

  it.each(badRequests)('answers %s with 400 and a plain message', async (_name, path, message) => {
    const { response, body } = await get(context.server, path);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(body).toBe(`${message}\n`);
  });

  it('treats search syntax and SQL in q as words, and answers with a valid feed', async () => {
    for (const q of ['"unbalanced', 'a OR b NOT', "'; DROP TABLE papers; --", '*', '%ZZ', '$x<y$']) {
      const { response, body } = await get(context.server, `/feed.xml?q=${encodeURIComponent(q)}`);
      expect(response.status, q).toBe(200);
      parseValidRss(body);
    }
    expect(await rssIds(context.server, '/feed.xml?q=%ZZ')).toEqual([]);
  });
});

/** A feed's raw bytes, as a reader's HTTP client receives them before decoding. */
function rawGet(
  server: TestServer,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(`${server.url}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, bytes: Buffer.concat(chunks) }),
      );
    }).on('error', reject);
  });
}

const DECODE: Record<string, (bytes: Buffer) => Buffer> = { gzip: gunzipSync, br: brotliDecompressSync };

describe.each(testDatabases())('feed caching on $dialect', ({ create }) => {
  const context = seededServer(create);

  it('sends the cached document compressed as each reader asks, and every coding decodes to the same valid feed', async () => {
    const plain = await rawGet(context.server, '/feed.xml', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    parseValidRss(plain.bytes.toString());
    const cases: Array<[string, string]> = [
      ['gzip, deflate, br', 'br'], // what browsers and most feed readers send
      ['gzip, deflate', 'gzip'],
      ['br;q=0.5, gzip', 'gzip'],
      ['x-gzip, deflate', 'identity'],
    ];
    for (const [acceptEncoding, coding] of cases) {
      for (const path of ['/feed.xml', '/atom.xml?category=cs.CL']) {
        const response = await rawGet(context.server, path, { 'accept-encoding': acceptEncoding });
        expect(response.status).toBe(200);
        expect(response.headers.vary).toBe('Accept-Encoding');
        expect(response.headers['content-encoding'] ?? 'identity', acceptEncoding).toBe(coding);
        expect(Number(response.headers['content-length'])).toBe(response.bytes.length);
        const xml = (DECODE[coding]?.(response.bytes) ?? response.bytes).toString();
        if (path === '/feed.xml') {
          expect(xml).toBe(plain.bytes.toString());
          parseValidRss(xml);
          if (coding !== 'identity') expect(response.bytes.length).toBeLessThan(plain.bytes.length / 2);
        } else parseValidAtom(xml);
      }
    }
    // The compressed answers carry the same validators, and a conditional request gets its 304 whatever the coding.
    const br = await rawGet(context.server, '/feed.xml', { 'accept-encoding': 'br' });
    expect(br.headers.etag).toBe(plain.headers.etag);
    expect(
      (await rawGet(context.server, '/feed.xml', { 'accept-encoding': 'gzip', 'if-none-match': plain.headers.etag! }))
        .status,
    ).toBe(304);
  });

  it('replaces the compressed documents too when the day’s list changes', async () => {
    const before = await rawGet(context.server, '/feed.xml', { 'accept-encoding': 'gzip' });
    const setUpvotes = (upvotes: number) =>
      context.db.kysely.updateTable('papers').set({ upvotes }).where('id', '=', D.id).execute();
    const { upvotes } = await context.db.kysely
      .selectFrom('papers')
      .select('upvotes')
      .where('id', '=', D.id)
      .executeTakeFirstOrThrow();
    await setUpvotes(42);
    for (const coding of ['gzip', 'br']) {
      const after = await rawGet(context.server, '/feed.xml', {
        'accept-encoding': coding,
        'if-none-match': before.headers.etag!,
      });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      const items = parseValidRss(DECODE[coding]!(after.bytes).toString()).items;
      expect(items.find((i) => i.guid?.value === D.id)?.description).toContain('▲ 42 upvotes');
    }
    await setUpvotes(upvotes);
  });

  it('answers a repeated conditional request with 304, by ETag or by date', async () => {
    for (const path of ['/feed.xml', '/atom.xml?category=cs.CL', '/feed.xml?q=diffusion']) {
      const first = await get(context.server, path);
      const etag = first.response.headers.get('etag')!;
      const lastModified = first.response.headers.get('last-modified')!;
      const byTag = await get(context.server, path, { 'if-none-match': etag });
      expect(byTag.response.status).toBe(304);
      expect(byTag.body).toBe('');
      expect(byTag.response.headers.get('etag')).toBe(etag);
      expect((await get(context.server, path, { 'if-modified-since': lastModified })).response.status).toBe(304);
      expect(
        (await get(context.server, path, { 'if-none-match': 'W/"stale"', 'if-modified-since': lastModified })).response
          .status,
      ).toBe(200);
    }
    const rss = (await get(context.server, '/feed.xml')).response.headers.get('etag');
    expect((await get(context.server, '/atom.xml')).response.headers.get('etag')).not.toBe(rss);
  });

  it('serves a new document and ETag as soon as a paper on the list is upvoted or added', async () => {
    const before = await get(context.server, '/feed.xml');
    const etag = before.response.headers.get('etag')!;
    const lastModified = before.response.headers.get('last-modified')!;
    expect((await get(context.server, '/feed.xml')).body).toBe(before.body);

    // An upvote re-derives the counter without touching the paper's content.
    await context.db.kysely.updateTable('papers').set({ upvotes: 20 }).where('id', '=', C.id).execute();
    const upvoted = await get(context.server, '/feed.xml', { 'if-none-match': etag });
    expect(upvoted.response.status).toBe(200);
    const upvotedEtag = upvoted.response.headers.get('etag')!;
    expect(upvotedEtag).not.toBe(etag);
    expect((await get(context.server, '/feed.xml', { 'if-modified-since': lastModified })).response.status).toBe(200);
    const items = parseValidRss(upvoted.body).items;
    expect(items.map((i) => i.guid?.value)).toEqual([C, B, A, D, F].map((p) => p.id));
    expect(items[0]!.description).toContain('▲ 20 upvotes');

    const H = paperRecord({ id: '2611.00008', title: 'Tomorrow’s paper' });
    await upsertPapers(context.db, [H], { featuredOn: '2026-11-29' });
    const added = await get(context.server, '/feed.xml', {
      'if-none-match': upvotedEtag,
      'if-modified-since': lastModified,
    });
    expect(added.response.status).toBe(200);
    expect(added.response.headers.get('etag')).not.toBe(upvotedEtag);
    expect(Date.parse(added.response.headers.get('last-modified')!)).toBeGreaterThan(Date.parse(lastModified));
    expect(parseValidRss(added.body).items[0]!.guid?.value).toBe(H.id);
    expect((await get(context.server, '/feed.xml', { 'if-modified-since': lastModified })).response.status).toBe(200);

    await context.db.kysely.updateTable('papers').set({ hidden: 1 }).where('id', '=', H.id).execute();
    const hidden = await get(context.server, '/feed.xml');
    expect(parseValidRss(hidden.body).items.map((i) => i.guid?.value)).not.toContain(H.id);
    expect(hidden.response.headers.get('etag')).toBe(upvotedEtag);
  });
});
