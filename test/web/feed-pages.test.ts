import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { upsertPapers, type PaperRecord } from '../../src/store/papers.js';
import { paperRecord } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { getPage, listedPaperPaths, relLink, visibleText } from '../helpers/pages.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

async function feature(db: Db, day: string, records: PaperRecord[], upvotes: number[] = []): Promise<void> {
  await upsertPapers(db, records, { featuredOn: day });
  for (const [i, votes] of upvotes.entries()) {
    await db.kysely.updateTable('papers').set({ upvotes: votes }).where('id', '=', records[i]!.id).execute();
  }
}

describe.each(testDatabases())('feed pages on $dialect', ({ create }) => {
  let db: Db;
  let server: TestServer;
  beforeAll(async () => {
    db = await create();
    server = await startTestServer(db, { PAGE_CACHE_MS: '0' });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });
  beforeEach(async () => {
    await db.kysely.deleteFrom('papers').execute();
  });

  it('shows a friendly empty home page before anything is featured', async () => {
    const page = await getPage(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect(visibleText(page.html)).toContain('No papers have been featured yet.');
  });

  it('shows the latest featured day on the home page, most upvoted first, with rank numbers', async () => {
    const older = paperRecord();
    const [quiet, popular, middling] = [paperRecord({ title: 'Quiet paper' }), paperRecord({ title: 'Popular paper' }), paperRecord()];
    await feature(db, '2026-11-20', [older]);
    await feature(db, '2026-11-27', [quiet, popular, middling], [0, 12, 3]);
    const page = await getPage(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(listedPaperPaths(page.html)).toEqual([`/papers/${popular.id}`, `/papers/${middling.id}`, `/papers/${quiet.id}`]);
    const text = visibleText(page.html);
    expect(text).toContain('Friday 27 November 2026');
    expect(text).toMatch(/1 ▲ 12 upvotes Popular paper/);
    expect(page.html).toContain('<link rel="canonical" href="/papers/date/2026-11-27">');
    expect(relLink(page.html, 'period-nav', 'prev')).toBe('/papers/date/2026-11-20');
    expect(relLink(page.html, 'period-nav', 'next')).toBeNull();
  });

  it('a day page links to the neighbouring days that have papers, and to its week and month', async () => {
    await feature(db, '2026-11-20', [paperRecord()]);
    const day = paperRecord();
    await feature(db, '2026-11-25', [day]);
    await feature(db, '2026-12-02', [paperRecord()]);
    const page = await getPage(`${server.url}/papers/date/2026-11-25`);
    expect(listedPaperPaths(page.html)).toEqual([`/papers/${day.id}`]);
    expect(relLink(page.html, 'period-nav', 'prev')).toBe('/papers/date/2026-11-20');
    expect(relLink(page.html, 'period-nav', 'next')).toBe('/papers/date/2026-12-02');
    expect(page.html).toContain('href="/papers/week/2026-W48"');
    expect(page.html).toContain('href="/papers/month/2026-11"');
    expect(page.html).not.toContain('/static/katex/');
  });

  it('an empty day says so and still offers the neighbouring days', async () => {
    await feature(db, '2026-11-20', [paperRecord()]);
    const page = await getPage(`${server.url}/papers/date/2026-11-22`);
    expect(page.status).toBe(200);
    expect(listedPaperPaths(page.html)).toEqual([]);
    expect(visibleText(page.html)).toContain('No papers were featured on this day.');
    expect(relLink(page.html, 'period-nav', 'prev')).toBe('/papers/date/2026-11-20');
  });

  it('puts 2020-12-31 and 2021-01-03 in ISO week 2020-W53, and 2021-01-04 in 2021-W01', async () => {
    const lastDay = paperRecord({ title: 'Featured on New Year’s Eve' });
    const sunday = paperRecord();
    const monday = paperRecord();
    const before = paperRecord();
    await feature(db, '2020-12-27', [before]);
    await feature(db, '2020-12-31', [lastDay], [1]);
    await feature(db, '2021-01-03', [sunday], [5]);
    await feature(db, '2021-01-04', [monday]);
    const week = await getPage(`${server.url}/papers/week/2020-W53`);
    expect(week.status).toBe(200);
    expect(listedPaperPaths(week.html)).toEqual([`/papers/${sunday.id}`, `/papers/${lastDay.id}`]);
    const text = visibleText(week.html);
    expect(text).toContain('Week 53 of 2020');
    expect(text).toContain('28 Dec 2020 – 3 Jan 2021');
    expect(relLink(week.html, 'period-nav', 'prev')).toBe('/papers/week/2020-W52');
    expect(relLink(week.html, 'period-nav', 'next')).toBe('/papers/week/2021-W01');
    const next = await getPage(`${server.url}/papers/week/2021-W01`);
    expect(listedPaperPaths(next.html)).toEqual([`/papers/${monday.id}`]);
  });

  it('a month page holds exactly the days of that month', async () => {
    const [oct31, nov1, nov30, dec1] = [paperRecord(), paperRecord(), paperRecord(), paperRecord()];
    await feature(db, '2026-10-31', [oct31]);
    await feature(db, '2026-11-01', [nov1], [2]);
    await feature(db, '2026-11-30', [nov30], [4]);
    await feature(db, '2026-12-01', [dec1]);
    const page = await getPage(`${server.url}/papers/month/2026-11`);
    expect(listedPaperPaths(page.html)).toEqual([`/papers/${nov30.id}`, `/papers/${nov1.id}`]);
    expect(visibleText(page.html)).toContain('November 2026');
    expect(relLink(page.html, 'period-nav', 'prev')).toBe('/papers/month/2026-10');
    expect(relLink(page.html, 'period-nav', 'next')).toBe('/papers/month/2026-12');
    // The switch to the daily view lands on a day in this month that has papers.
    expect(page.html).toContain('href="/papers/date/2026-11-30">Daily</a>');
  });

  it('pages through a long list with ranks that continue', async () => {
    const records = Array.from({ length: 53 }, () => paperRecord());
    await feature(db, '2026-11-27', records, records.map((_, i) => 100 - i));
    const first = await getPage(`${server.url}/papers/date/2026-11-27`);
    expect(listedPaperPaths(first.html)).toHaveLength(50);
    expect(relLink(first.html, 'pagination', 'next')).toBe('/papers/date/2026-11-27?page=2');
    const second = await getPage(`${server.url}/papers/date/2026-11-27?page=2`);
    expect(listedPaperPaths(second.html)).toEqual(records.slice(50).map((r) => `/papers/${r.id}`));
    expect(second.html).toContain('aria-label="Rank 51"');
    expect(relLink(second.html, 'pagination', 'prev')).toBe('/papers/date/2026-11-27');
  });

  it('escapes HTML in titles and authors and renders their LaTeX with KaTeX', async () => {
    const hostile = paperRecord({
      title: '<script>alert(1)</script> Bounds & limits for $x<y$ in \\emph{graphs}',
      authors: [{ name: '<img src=x onerror=alert(2)>' }],
    });
    await feature(db, '2026-11-27', [hostile]);
    const page = await getPage(`${server.url}/papers/date/2026-11-27`);
    expect(page.html).not.toContain('<script>alert(1)');
    expect(page.html).not.toContain('<img src=x');
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Bounds &amp; limits for <span class="math"');
    expect(page.html).toContain('class="katex"');
    expect(page.html).toContain('<em>graphs</em>');
    expect(page.html).toContain('<link rel="stylesheet" href="/static/katex/katex.min.css">');
    expect(visibleText(page.html)).toContain('<img src=x onerror=alert(2)>');
  });

  it('truncates long author lists and shows categories, comment count and a GitHub badge', async () => {
    const record = paperRecord({
      authors: Array.from({ length: 9 }, (_, i) => ({ name: `Author ${i + 1}` })),
      categories: ['cs.CL', 'cs.AI'],
      abstract: 'Code at https://github.com/example/repo.',
    });
    await feature(db, '2026-11-27', [record]);
    await db.kysely.updateTable('papers').set({ num_comments: 4 }).where('id', '=', record.id).execute();
    const page = await getPage(`${server.url}/papers/date/2026-11-27`);
    const text = visibleText(page.html);
    expect(text).toContain('Author 1, Author 2, Author 3, Author 4, Author 5, Author 6 et al.');
    expect(text).not.toContain('Author 7');
    expect(page.html).toContain('<li class="category primary">cs.CL</li><li class="category">cs.AI</li>');
    expect(page.html).toContain('aria-label="4 comments"');
    expect(page.html).toContain('<a class="badge github" href="https://github.com/example/repo"');
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
      const page = await getPage(`${server.url}${path}`);
      expect(page.status, path).toBe(400);
      expect(page.contentType).toContain('text/html');
      expect(page.html).not.toContain('<script>');
      expect(page.html).not.toMatch(/at .*\.ts:\d+/);
      expect(visibleText(page.html)).toContain('That address is not quite right');
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

  it('reuses an anonymous render, while readers with cookies see changes at once', async () => {
    const server = await startTestServer(db, { PAGE_CACHE_MS: '60000' });
    try {
      const record = paperRecord();
      await feature(db, '2026-11-27', [record]);
      expect(voteCount((await getPage(`${server.url}/`)).html)).toBe('0');
      await db.kysely.updateTable('papers').set({ upvotes: 9 }).where('id', '=', record.id).execute();
      expect(voteCount((await getPage(`${server.url}/`)).html)).toBe('0');
      expect(voteCount((await getPage(`${server.url}/papers/date/2026-11-27`, { headers: { cookie: 'session=abc' } })).html)).toBe('9');
      expect(voteCount((await getPage(`${server.url}/`, { headers: { cookie: 'session=abc' } })).html)).toBe('9');
    } finally {
      await server.close();
    }
  });

  it('renders afresh once PAGE_CACHE_MS has passed', async () => {
    const server = await startTestServer(db, { PAGE_CACHE_MS: '200' });
    try {
      const record = paperRecord();
      await feature(db, '2026-11-27', [record]);
      expect(voteCount((await getPage(`${server.url}/`)).html)).toBe('0');
      await db.kysely.updateTable('papers').set({ upvotes: 9 }).where('id', '=', record.id).execute();
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(voteCount((await getPage(`${server.url}/`)).html)).toBe('9');
    } finally {
      await server.close();
    }
  });
});
