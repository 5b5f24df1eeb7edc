import { describe, expect, it } from 'vitest';
import { getJson } from './api/fixtures.js';
import { featurePapers } from './factories/papers.js';
import { testDatabases } from './helpers/db.js';
import { getPage } from './helpers/pages.js';
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
    const made = await featurePapers(
      db,
      Object.values(specs).map((record) => ({ day: '2026-11-27', record })),
    );
    for (const [i, name] of Object.keys(specs).entries()) paper[name] = made[i]!;
  });
  const url = (path: string) => `${api.server.url}${path}`;

  it('/api/daily_papers and /api/papers/search take cs.CL+cs.LG-cs.CY', async () => {
    const wanted = [paper.ml, paper.nlp].sort();
    expect(ids((await getJson(url('/api/daily_papers?date=2026-11-27&category=cs.CL+cs.LG-cs.CY'))).body)).toEqual(
      wanted,
    );
    expect(ids((await getJson(url('/api/papers/search?q=attention&category=cs.CL+cs.LG-cs.CY'))).body)).toEqual(wanted);
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
      const feed = await getPage(url(`/feed.xml?category=${q}`));
      expect(feed.status).toBe(400);
      expect(feed.html).not.toContain('<script>');
    }
    // A search of only exclusions, or only dashes, finds nothing rather than everything or an error.
    expect((await getJson(url('/api/papers/search?q=-attention'))).body).toEqual([]);
    expect((await getJson(url('/api/papers/search?q=---'))).status).toBe(200);
  });
});
