import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { featurePapers } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { getPage, listedPaperPaths, relLink, visibleText } from '../helpers/pages.js';
import { serveFreshDatabase, startTestServer } from '../helpers/server.js';

const paths = (ids: string[]) => ids.map((id) => `/papers/${id}`);

describe.each(testDatabases())('feed pages on $dialect', ({ create }) => {
  const web = serveFreshDatabase(create);
  const page = (path: string) => getPage(`${web.server.url}${path}`);
  beforeEach(async () => {
    await web.db.kysely.deleteFrom('papers').execute();
  });

  it('shows a friendly empty home page before anything is featured', async () => {
    const home = await page('/');
    expect(home.status).toBe(200);
    expect(home.contentType).toContain('text/html');
    expect(visibleText(home.html)).toContain('No papers have been featured yet.');
  });

  it('shows the latest featured day on the home page, most upvoted first, with rank numbers', async () => {
    await featurePapers(web.db, [{ day: '2026-11-20' }]);
    const [quiet, popular, middling] = await featurePapers(web.db, [
      { day: '2026-11-27', record: { title: 'Quiet paper' } },
      { day: '2026-11-27', upvotes: 12, record: { title: 'Popular paper' } },
      { day: '2026-11-27', upvotes: 3 },
    ]);
    const home = await page('/');
    expect(home.status).toBe(200);
    expect(listedPaperPaths(home.html)).toEqual(paths([popular!, middling!, quiet!]));
    const text = visibleText(home.html);
    expect(text).toContain('Friday 27 November 2026');
    expect(text).toMatch(/Rank 1 Popular paper .*▲ 12 upvotes Rank 2/);
    expect(home.html).toContain('<link rel="canonical" href="/papers/date/2026-11-27">');
    expect(relLink(home.html, 'period-nav', 'prev')).toBe('/papers/date/2026-11-20');
    expect(relLink(home.html, 'period-nav', 'next')).toBeNull();
  });

  it('a day page links to the neighbouring days that have papers, and to its week and month', async () => {
    const [, day] = await featurePapers(web.db, [{ day: '2026-11-20' }, { day: '2026-11-25' }, { day: '2026-12-02' }]);
    const dayPage = await page('/papers/date/2026-11-25');
    expect(listedPaperPaths(dayPage.html)).toEqual(paths([day!]));
    expect(relLink(dayPage.html, 'period-nav', 'prev')).toBe('/papers/date/2026-11-20');
    expect(relLink(dayPage.html, 'period-nav', 'next')).toBe('/papers/date/2026-12-02');
    expect(dayPage.html).toContain('href="/papers/week/2026-W48"');
    expect(dayPage.html).toContain('href="/papers/month/2026-11"');
    expect(dayPage.html).not.toContain('/static/katex/');
  });

  it('an empty day says so and still offers the neighbouring days', async () => {
    await featurePapers(web.db, [{ day: '2026-11-20' }]);
    const empty = await page('/papers/date/2026-11-22');
    expect(empty.status).toBe(200);
    expect(listedPaperPaths(empty.html)).toEqual([]);
    expect(visibleText(empty.html)).toContain('No papers were featured on this day.');
    expect(relLink(empty.html, 'period-nav', 'prev')).toBe('/papers/date/2026-11-20');
  });

  it('puts 2020-12-31 and 2021-01-03 in ISO week 2020-W53, and 2021-01-04 in 2021-W01', async () => {
    const [, newYearsEve, sunday, monday] = await featurePapers(web.db, [
      { day: '2020-12-27' },
      { day: '2020-12-31', upvotes: 1 },
      { day: '2021-01-03', upvotes: 5 },
      { day: '2021-01-04' },
    ]);
    const week = await page('/papers/week/2020-W53');
    expect(week.status).toBe(200);
    expect(listedPaperPaths(week.html)).toEqual(paths([sunday!, newYearsEve!]));
    const text = visibleText(week.html);
    expect(text).toContain('Week 53 of 2020');
    expect(text).toContain('28 Dec 2020 – 3 Jan 2021');
    expect(relLink(week.html, 'period-nav', 'prev')).toBe('/papers/week/2020-W52');
    expect(relLink(week.html, 'period-nav', 'next')).toBe('/papers/week/2021-W01');
    expect(listedPaperPaths((await page('/papers/week/2021-W01')).html)).toEqual(paths([monday!]));
  });

  it('a month page holds exactly the days of that month', async () => {
    const [, nov1, nov30] = await featurePapers(web.db, [
      { day: '2026-10-31' },
      { day: '2026-11-01', upvotes: 2 },
      { day: '2026-11-30', upvotes: 4 },
      { day: '2026-12-01' },
    ]);
    const month = await page('/papers/month/2026-11');
    expect(listedPaperPaths(month.html)).toEqual(paths([nov30!, nov1!]));
    expect(visibleText(month.html)).toContain('November 2026');
    expect(relLink(month.html, 'period-nav', 'prev')).toBe('/papers/month/2026-10');
    expect(relLink(month.html, 'period-nav', 'next')).toBe('/papers/month/2026-12');
    // The switch to the daily view lands on a day in this month that has papers.
    expect(month.html).toContain('href="/papers/date/2026-11-30">Daily</a>');
  });

  it('pages through a long list with ranks that continue', async () => {
    const ids = await featurePapers(
      web.db,
      Array.from({ length: 53 }, (_, i) => ({ day: '2026-11-27', upvotes: 100 - i })),
    );
    const first = await page('/papers/date/2026-11-27');
    expect(listedPaperPaths(first.html)).toEqual(paths(ids.slice(0, 50)));
    expect(relLink(first.html, 'pagination', 'next')).toBe('/papers/date/2026-11-27?page=2');
    const second = await page('/papers/date/2026-11-27?page=2');
    expect(listedPaperPaths(second.html)).toEqual(paths(ids.slice(50)));
    expect(visibleText(second.html)).toMatch(/^.*Rank 51 /);
    expect(relLink(second.html, 'pagination', 'prev')).toBe('/papers/date/2026-11-27');
  });

  it('escapes HTML in titles and authors and renders their LaTeX with KaTeX', async () => {
    await featurePapers(web.db, [
      {
        day: '2026-11-27',
        record: {
          title: '<script>alert(1)</script> Bounds & limits for $x<y$ in \\emph{graphs}',
          authors: [{ name: '<img src=x onerror=alert(2)>' }],
        },
      },
    ]);
    const dayPage = await page('/papers/date/2026-11-27');
    expect(dayPage.html).not.toContain('<script>alert(1)');
    expect(dayPage.html).not.toContain('<img src=x');
    expect(dayPage.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Bounds &amp; limits for <span class="math"');
    expect(dayPage.html).toContain('class="katex"');
    expect(dayPage.html).toContain('<em>graphs</em>');
    expect(dayPage.html).toContain('<link rel="stylesheet" href="/static/katex/katex.min.css">');
    expect(visibleText(dayPage.html)).toContain('<img src=x onerror=alert(2)>');
  });

  it('truncates long author lists and shows categories, comment count and a GitHub badge', async () => {
    const [id] = await featurePapers(web.db, [
      {
        day: '2026-11-27',
        record: {
          authors: Array.from({ length: 9 }, (_, i) => ({ name: `Author ${i + 1}` })),
          categories: ['cs.CL', 'cs.AI'],
          abstract: 'Code at https://github.com/example/repo.',
        },
      },
    ]);
    await web.db.kysely.updateTable('papers').set({ num_comments: 4 }).where('id', '=', id!).execute();
    const dayPage = await page('/papers/date/2026-11-27');
    const text = visibleText(dayPage.html);
    expect(text).toMatch(/Author 1\s*, Author 2\s*, Author 3\s*, Author 4\s*, Author 5\s*, Author 6 et al\./);
    expect(dayPage.html).toContain('<a href="/authors/author+6">Author 6</a> et al.');
    expect(text).not.toContain('Author 7');
    expect(dayPage.html).toContain(
      '<li class="category primary"><a href="/search?category=cs.CL&amp;sort=date">cs.CL</a></li><li class="category"><a href="/search?category=cs.AI&amp;sort=date">cs.AI</a></li>',
    );
    expect(dayPage.html).toContain('aria-label="4 comments"');
    expect(dayPage.html).toContain('<a class="badge github" href="https://github.com/example/repo"');
  });

  it('answers malformed periods and page numbers with a readable 400 page', async () => {
    for (const path of [
      '/papers/date/2026-02-30',
      '/papers/date/27-11-2026',
      '/papers/date/%3Cscript%3E',
      '/papers/week/2021-W53',
      '/papers/week/2026-48',
      '/papers/month/2026-13',
      '/papers/month/2026',
      '/papers/date/2026-11-27?page=0',
      '/papers/date/2026-11-27?page=abc',
      `/papers/date/${'9'.repeat(5000)}`,
    ]) {
      const bad = await page(path);
      expect(bad.status, path).toBe(400);
      expect(bad.contentType).toContain('text/html');
      expect(bad.html).not.toContain('<script>');
      expect(bad.html).not.toMatch(/at .*\.ts:\d+/);
      expect(visibleText(bad.html)).toContain('That address is not quite right');
    }
  });
});

describe.each(testDatabases())('feed page cache on $dialect', ({ create }) => {
  let db: Db;
  beforeEach(async () => {
    db = await create();
  });
  afterEach(async () => {
    await db.close();
  });
  const voteCount = (html: string) => /<span class="vote-count">(\d+)<\/span>/.exec(html)?.[1];

  /** Features one paper, shows it to an anonymous reader, then gives it 9 upvotes. */
  async function voteAfterFirstView(url: string): Promise<void> {
    const [id] = await featurePapers(db, [{ day: '2026-11-27' }]);
    expect(voteCount((await getPage(`${url}/`)).html)).toBe('0');
    await db.kysely.updateTable('papers').set({ upvotes: 9 }).where('id', '=', id!).execute();
  }

  it('reuses an anonymous render, while readers with cookies see changes at once', async () => {
    const server = await startTestServer(db, { PAGE_CACHE_MS: '60000' });
    try {
      await voteAfterFirstView(server.url);
      expect(voteCount((await getPage(`${server.url}/`)).html)).toBe('0');
      expect(voteCount((await getPage(`${server.url}/`, { headers: { cookie: 'session=abc' } })).html)).toBe('9');
    } finally {
      await server.close();
    }
  });

  it('renders afresh once PAGE_CACHE_MS has passed', async () => {
    const server = await startTestServer(db, { PAGE_CACHE_MS: '200' });
    try {
      await voteAfterFirstView(server.url);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(voteCount((await getPage(`${server.url}/`)).html)).toBe('9');
    } finally {
      await server.close();
    }
  });
});
