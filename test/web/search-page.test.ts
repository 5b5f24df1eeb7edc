import { describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/db.js';
import { announcedFeeds, getPage, visibleText } from '../helpers/pages.js';
import { HOSTILE_QUERIES, seedSearchCorpus } from '../factories/search.js';
import { serveFreshDatabase } from '../helpers/server.js';

const resultPaths = (html: string) =>
  [...html.matchAll(/<article class="search-result">\s*<h2 class="paper-title"><a href="([^"]+)">/g)].map((m) => m[1]!);

describe.each(testDatabases())('search page on $dialect', ({ create }) => {
  const web = serveFreshDatabase(create, seedSearchCorpus);
  const page = (query: string) => getPage(`${web.server.url}/search${query}`);

  it('lists matches best first with the matched words marked, markup from titles escaped', async () => {
    const result = await page('?q=linear+attention');
    expect(result.status).toBe(200);
    // Both words first, then a paper with only "attention" fills the page.
    expect(resultPaths(result.html)).toEqual(['/papers/2611.00001', '/papers/2611.00002', '/papers/2611.00003']);
    expect(result.html).toContain('Efficient <mark>linear</mark> <mark>attention</mark> for long documents');
    expect(visibleText(result.html)).toContain('Results for “linear attention”');
    expect(result.html).toContain(
      '<input type="search" name="q" placeholder="Search papers" aria-label="Search papers" value="linear attention">',
    );
    // Without a mode the page searches by the default one, and its selector says so.
    expect(result.html).toMatch(/<option value="hybrid" selected>/);
  });

  it('never lets a title or abstract inject markup', async () => {
    const result = await page('?q=sparse+pruned');
    expect(resultPaths(result.html)).toEqual(['/papers/2611.00003']);
    expect(result.html).not.toContain('<script>alert');
    expect(result.html).not.toContain('<b>hard');
    expect(result.html).toContain('&lt;b&gt;hard');
    // The title's math is rendered and its words are marked, outside the math only.
    expect(result.html).toContain(
      '<mark>Sparse</mark> &lt;script&gt;alert(1)&lt;/script&gt; attention &amp; <span class="math"',
    );
    expect(result.html).toContain('/static/katex/katex.min.css');
    // The snippet's LaTeX is rendered too: formulas, commands outside them and escaped dollars.
    expect(result.html).toContain('aria-label="top"');
    expect(result.html).toContain('aria-label="\\times"');
    expect(visibleText(result.html)).toContain('($1,890)');
    expect(visibleText(result.html)).not.toContain('\\');
  });

  it('filters by category, author and dates, and orders by date or upvotes', async () => {
    expect(resultPaths((await page('?q=attention&category=cs.LG')).html)).toEqual(['/papers/2611.00002']);
    expect(resultPaths((await page('?q=attention&author=hinton')).html)).toEqual(['/papers/2611.00001']);
    expect(resultPaths((await page('?q=attention&from=2026-11-15&to=2026-11-18')).html)).toEqual([
      '/papers/2611.00001',
    ]);
    expect(resultPaths((await page('?q=attention&sort=date')).html)).toEqual([
      '/papers/2611.00002',
      '/papers/2611.00001',
      '/papers/2611.00003',
    ]);
    expect(resultPaths((await page('?q=attention&sort=upvotes')).html)).toEqual([
      '/papers/2611.00002',
      '/papers/2611.00001',
      '/papers/2611.00003',
    ]);
    // Each author's name links to the author's page, the searched-for name marked inside the link.
    expect((await page('?q=attention&author=hinton')).html).toContain(
      '<p class="paper-authors"><a href="/authors/geoffrey+hinton">Geoffrey <mark>Hinton</mark></a></p>',
    );
    const filtered = await page('?q=attention&category=cs.CL&author=&from=&to=&sort=relevance&mode=lexical');
    expect(filtered.status).toBe(200);
    expect(filtered.html).toContain('name="category" value="cs.CL"');
  });

  it('pages through many results', async () => {
    const first = await page('?q=graph&sort=date');
    expect(resultPaths(first.html)).toHaveLength(20);
    expect(resultPaths(first.html)[0]).toBe('/papers/2610.00025');
    expect(first.html).toContain('rel="next" href="/search?q=graph&amp;sort=date&amp;page=2"');
    const second = await page('?q=graph&sort=date&page=2');
    expect(resultPaths(second.html)).toEqual([
      '/papers/2610.00005',
      '/papers/2610.00004',
      '/papers/2610.00003',
      '/papers/2610.00002',
      '/papers/2610.00001',
    ]);
    expect(second.html).toContain('rel="prev" href="/search?q=graph&amp;sort=date"');
    expect(second.html).not.toContain('rel="next"');
  });

  it('goes straight to a paper named by its arXiv id or URL', async () => {
    for (const q of ['2611.00001', '2611.00001v3', 'https://arxiv.org/abs/2611.00001', 'arXiv:2611.00001']) {
      const result = await fetch(`${web.server.url}/search?q=${encodeURIComponent(q)}`, { redirect: 'manual' });
      expect(result.status).toBe(303);
      expect(result.headers.get('location')).toBe('/papers/2611.00001');
    }
    expect((await page('?q=2611.00004')).status).toBe(200);
  });

  it('announces and links the feed of the search', async () => {
    const result = await page('?q=attention&category=cs.CL');
    expect(announcedFeeds(result.html)).toContainEqual([
      'application/rss+xml',
      'Newest papers in cs.CL matching “attention” (RSS)',
      '/feed.xml?q=attention&amp;category=cs.CL',
    ]);
    expect(result.html).toContain('href="/feed.xml?q=attention&amp;category=cs.CL"');
  });

  it('shows a prompt without a query, and a clear state when nothing matches', async () => {
    const empty = await page('');
    expect(empty.status).toBe(200);
    expect(visibleText(empty.html)).toContain('Search every paper by its words.');
    expect(visibleText((await page('?q=zebrafish')).html)).toContain('No papers match “zebrafish”');
    expect(visibleText((await page('?q=the+of+and')).html)).toContain('has only very common words');
  });

  it('says when a search mode is not available', async () => {
    const result = await page('?q=attention&mode=semantic');
    expect([200, 400]).toContain(result.status);
    if (result.status === 400) expect(visibleText(result.html)).toContain('Searching by semantic is not available');
  });

  it.each([
    ['an impossible date', '?q=a&from=2026-02-30', /from: expected a date as YYYY-MM-DD/],
    ['a month that does not exist', '?q=a&to=2026-13-01', /to: expected a date as YYYY-MM-DD/],
    ['from after to', '?q=a&from=2026-02-03&to=2026-02-01', /to: must not be before from/],
    ['an unknown sort', '?q=a&sort=random', /sort: expected one of relevance, date, upvotes/],
    ['an unknown mode', '?q=a&mode=magic', /mode: expected one of lexical, semantic, hybrid/],
    ['a bad category', '?q=a&category=%3Cscript%3E', /category: must be arXiv categories/],
    ['page 0', '?q=a&page=0', /page: expected a page number/],
    ['10 KB of text', `?q=${'x'.repeat(10_000)}`, /q: must be at most 500 characters/],
    ['q given twice', '?q=a&q=b', /q: expected a single text value/],
  ])('answers %s with a 400 page that keeps the form', async (_label, query, message) => {
    const result = await page(query);
    expect(result.status).toBe(400);
    expect(visibleText(result.html)).toMatch(message);
    expect(result.html).toContain('<form class="search-form"');
  });

  it('answers hostile queries with an ordinary page', async () => {
    for (const q of HOSTILE_QUERIES) {
      const result = await page(`?q=${encodeURIComponent(q)}`);
      expect(result.status, q).toBe(200);
      expect(result.html).not.toContain('<script>alert');
    }
  });

  it('the trending page announces its feeds', async () => {
    const trending = await getPage(`${web.server.url}/papers/trending`);
    expect(announcedFeeds(trending.html).map(([type, , href]) => [type, href])).toEqual([
      ['application/rss+xml', '/feed.xml?view=trending'],
      ['application/atom+xml', '/atom.xml?view=trending'],
    ]);
  });
});
