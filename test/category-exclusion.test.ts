import { describe, expect, it } from 'vitest';
import { getJson } from './api/fixtures.js';
import { featurePapers } from './factories/papers.js';
import { testDatabases } from './helpers/db.js';
import { announcedFeeds, getPage, listedPaperPaths, relLink, visibleText } from './helpers/pages.js';
import { serveFreshDatabase } from './helpers/server.js';

const ids = (body: { paper: { id: string } }[]) => body.map((item) => item.paper.id).sort();

describe.each(testDatabases())('category include/exclude and -word on $dialect', ({ create }) => {
  const paper: Record<string, string> = {};
  const api = serveFreshDatabase(create, async (db) => {
    const specs = {
      nlp: { categories: ['cs.CL'], title: 'Attention for parsing', abstract: 'Sparse attention parses sentences.' },
      ethics: { categories: ['cs.CL', 'cs.CY'], title: 'Attention and fairness', abstract: 'Attention audits bias.' },
      ml: { categories: ['cs.LG'], title: 'Attention on graphs', abstract: 'Graph attention for molecules.' },
      physics: { categories: ['hep-th'], title: 'Attention to strings', abstract: 'String theory attention.' },
    };
    const made = await featurePapers(db, [
      ...Object.values(specs).map((record) => ({ day: '2026-11-27', record })),
      // The days around: one with only a left-out paper, one with a wanted one, for the arrows.
      // (Both say "attention", "graph" and "bias", so the searches below leave them out as they do the others.)
      {
        day: '2026-11-26',
        record: { categories: ['cs.CY'], title: 'Policy notes', abstract: 'Attention to graph bias.' },
      },
      {
        day: '2026-11-25',
        record: { categories: ['cs.LG'], title: 'Graph kernels', abstract: 'Attention to graph bias.' },
      },
    ]);
    for (const [i, name] of [...Object.keys(specs), 'policy', 'kernels'].entries()) paper[name] = made[i]!;
  });
  const url = (path: string) => `${api.server.url}${path}`;

  it('/api/daily_papers and /api/papers/search take cs.CL+cs.LG-cs.CY', async () => {
    const wanted = [paper.ml, paper.nlp].sort();
    expect(ids((await getJson(url('/api/daily_papers?date=2026-11-27&category=cs.CL+cs.LG-cs.CY'))).body)).toEqual(
      wanted,
    );
    // The search spans every day: the cs.LG paper of the 25th too.
    expect(ids((await getJson(url('/api/papers/search?q=attention&category=cs.CL+cs.LG-cs.CY'))).body)).toEqual(
      [...wanted, paper.kernels].sort(),
    );
    // A hyphenated archive is a name, and can be left out too.
    expect(ids((await getJson(url('/api/daily_papers?date=2026-11-27&category=hep-th'))).body)).toEqual([
      paper.physics,
    ]);
    expect(ids((await getJson(url('/api/daily_papers?date=2026-11-27&category=-hep-th-cs.CY'))).body)).toEqual(
      [paper.ml, paper.nlp].sort(),
    );
  });

  it('the trending page takes it too', async () => {
    const page = await getPage(url('/papers/trending?category=cs.CL-cs.CY'));
    expect(page.status).toBe(200);
    expect(page.html).toContain(`/papers/${paper.nlp}"`);
    for (const left of [paper.ethics, paper.ml, paper.physics]) expect(page.html).not.toContain(`/papers/${left}"`);
    expect((await getPage(url('/papers/trending?category=%3Cscript%3E'))).status).toBe(400);
  });

  it('the day, week and month pages and / take it, and keep it in their links', async () => {
    const filter = 'category=cs.CL+cs.LG+-cs.CY';
    for (const path of ['/papers/date/2026-11-27', '/papers/week/2026-W48', '/papers/month/2026-11', '/']) {
      const page = await getPage(url(`${path}?category=cs.CL+cs.LG-cs.CY`));
      expect(page.status, path).toBe(200);
      const listed = listedPaperPaths(page.html);
      for (const wanted of [paper.nlp, paper.ml]) expect(listed, path).toContain(`/papers/${wanted}`);
      for (const left of [paper.ethics, paper.physics, paper.policy])
        expect(listed, path).not.toContain(`/papers/${left}`);
      expect(visibleText(page.html), path).toContain('Showing cs.CL, cs.LG, without cs.CY — show all');
      expect(page.html, path).toContain(`<a href="${path}">show all</a>`);
      const [rss, atom] = announcedFeeds(page.html).map((feed) => feed[2]);
      expect(rss).toBe(`/feed.xml?${filter}`);
      expect(atom).toBe(`/atom.xml?${filter}`);
      expect(page.html).toContain(`<a class="button" href="/feed.xml?${filter}">RSS feed</a>`);
    }
    // The day's "previous" arrow passes the day with only cs.CY papers, and keeps the filter.
    const day = await getPage(url('/papers/date/2026-11-27?category=cs.CL+cs.LG-cs.CY'));
    expect(relLink(day.html, 'period-nav', 'prev')).toBe(`/papers/date/2026-11-25?${filter}`);
    const unfiltered = await getPage(url('/papers/date/2026-11-27'));
    expect(relLink(unfiltered.html, 'period-nav', 'prev')).toBe('/papers/date/2026-11-26');
    expect(visibleText(unfiltered.html)).not.toContain('Showing');
    const earlier = await getPage(url(`/papers/date/2026-11-25?${filter}`));
    expect(listedPaperPaths(earlier.html)).toEqual([`/papers/${paper.kernels}`]);
    expect(relLink(earlier.html, 'period-nav', 'next')).toBe(`/papers/date/2026-11-27?${filter}`);
    // Only exclusions: every other category is shown.
    const without = await getPage(url('/papers/date/2026-11-27?category=-cs.CY'));
    expect(visibleText(without.html)).toContain('Showing all categories, without cs.CY — show all');
    expect(listedPaperPaths(without.html)).not.toContain(`/papers/${paper.ethics}`);
  });

  it('the calendar keeps the filter: its days, months and "go to a day" form', async () => {
    const filter = 'category=cs.CL+cs.LG+-cs.CY';
    const day = await getPage(url('/papers/date/2026-11-27?category=cs.CL+cs.LG-cs.CY'));
    // The 26th has only a left-out paper: it is not linked.
    const linked = [...day.html.matchAll(/<a class="has-papers" href="([^"]+)"/g)].map((m) => m[1]);
    expect(linked).toEqual([`/papers/date/2026-11-25?${filter}`, `/papers/date/2026-11-27?${filter}`]);
    expect(day.html).toContain(`<a href="/papers/month/2026-10?${filter}" aria-label="October 2026">`);
    expect(day.html).toContain('<input type="hidden" name="category" value="cs.CL cs.LG -cs.CY">');
    const jump = await fetch(url('/papers/date?day=2026-11-26&category=cs.CL+cs.LG+-cs.CY'), { redirect: 'manual' });
    expect(jump.status).toBe(303);
    expect(jump.headers.get('location')).toBe(`/papers/date/2026-11-26?${filter}`);
    const bare = await fetch(url('/papers/date?day=2026-11-26'), { redirect: 'manual' });
    expect(bare.headers.get('location')).toBe('/papers/date/2026-11-26');
    for (const bad of ['%3Cscript%3E', 'cs.CL&category=cs.LG', 'x'.repeat(2000)]) {
      const refused = await fetch(url(`/papers/date?day=2026-11-26&category=${bad}`), { redirect: 'manual' });
      expect(refused.status, bad).toBe(400);
    }
  });

  it('feeds take the same filter, and say it in their title', async () => {
    const feed = await getPage(url('/feed.xml?category=cs.CL-cs.CY'));
    expect(feed.status).toBe(200);
    expect(feed.html).toContain('Daily papers in cs.CL not in cs.CY');
    expect(feed.html).toContain(`/papers/${paper.nlp}`);
    expect(feed.html).not.toContain(`/papers/${paper.ethics}`);
  });

  it('-word and -"phrase" leave papers out of a search, in the API, the page and the feed', async () => {
    expect(ids((await getJson(url('/api/papers/search?q=attention+-graph'))).body)).toEqual(
      [paper.nlp, paper.ethics, paper.physics].sort(),
    );
    expect(ids((await getJson(url('/api/papers/search?q=attention+-%22string+theory%22+-bias'))).body)).toEqual(
      [paper.nlp, paper.ml].sort(),
    );
    const page = await getPage(url('/search?q=attention+-graph'));
    expect(page.html).not.toContain(`/papers/${paper.ml}"`);
    expect(page.html).toContain(`/papers/${paper.nlp}"`);
    const feed = await getPage(url('/atom.xml?q=attention+-graph'));
    expect(feed.html).not.toContain(`/papers/${paper.ml}<`);
  });

  it('refuses hostile category filters with a 400 naming the parameter, everywhere', async () => {
    const hostile = [
      'cs.CL-<script>',
      "cs.CL-' OR 1=1 --",
      `${Array.from({ length: 21 }, (_, i) => `cs.X${i}`).join('+')}`,
      'x'.repeat(1000),
      'cs.CL-cs.CY\u0000',
    ];
    for (const value of hostile) {
      const q = encodeURIComponent(value);
      for (const path of [`/api/daily_papers?category=${q}`, `/api/papers/search?q=a&category=${q}`]) {
        const { status, body } = await getJson(url(path));
        expect(status, `${path}`).toBe(400);
        expect(body.error).toMatch(/category/);
      }
      for (const path of [
        '/feed.xml',
        '/',
        '/papers/date/2026-11-27',
        '/papers/week/2026-W48',
        '/papers/month/2026-11',
      ]) {
        const page = await getPage(url(`${path}?category=${q}`));
        expect(page.status, `${path} ${value}`).toBe(400);
        expect(page.html).not.toContain('<script>');
        expect(page.html).not.toContain("' OR 1=1");
      }
    }
    // A search of only exclusions, or only dashes, finds nothing rather than everything or an error.
    expect((await getJson(url('/api/papers/search?q=-attention'))).body).toEqual([]);
    expect((await getJson(url('/api/papers/search?q=---'))).status).toBe(200);
  });
});
