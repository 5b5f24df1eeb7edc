import { beforeAll, describe, expect, it } from 'vitest';
import { upsertPapers } from '../../src/store/papers.js';
import { topicPapers } from '../factories/topics.js';
import { serveCommunity, signedUp, type Member } from '../community/fixtures.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';

/** The papers an author page lists, in order. */
const listedTitles = (html: string) =>
  [...html.matchAll(/<h2 class="paper-title"><a href="\/papers\/([^"]+)"/g)].map((m) => m[1]!);

describe.each(testDatabases())('author pages on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);
  let ada: Member;

  beforeAll(async () => {
    const { db, server } = ctx;
    await upsertPapers(db, topicPapers(), { featuredOn: '2025-01-10' });
    // The same name written another way (case, spacing, an accent), newer than the others.
    await upsertPapers(db, [
      {
        id: '2502.00001',
        title: 'Karl Benz on carburettors',
        abstract: 'Carburettors.',
        authors: [{ name: 'KÁRL  benz' }, { name: 'Bertha Benz' }],
        categories: ['physics.hist-ph'],
        publishedOn: '2025-02-01',
      },
    ]);
    ada = await signedUp(db, server.url);
  });

  it("lists an author's papers newest first, under every way their name is written, with co-authors and categories", async () => {
    const { status, html } = await new WebClient(ctx.server.url).page('/authors/karl+benz');
    expect(status).toBe(200);
    expect(html).toContain('<h1>Karl Benz</h1>');
    const ids = listedTitles(html);
    expect(ids).toHaveLength(7);
    expect(ids[0]).toBe('2502.00001');
    expect(html).toContain('<a href="/authors/pat+coauthor">Pat Coauthor</a> <span class="muted">(6)</span>');
    expect(html).toContain('<a href="/authors/bertha+benz">Bertha Benz</a>');
    expect(html).toContain('<a href="/search?category=cs.RO&amp;sort=date">cs.RO</a> <span class="muted">(6)</span>');
    expect(html).toContain('Log in to follow');
  });

  it('links author names and categories on cards and paper pages', async () => {
    const day = await new WebClient(ctx.server.url).page('/papers/date/2025-01-10');
    expect(day.html).toContain(
      '<a href="/authors/karl+benz">Karl Benz</a>, <a href="/authors/pat+coauthor">Pat Coauthor</a>',
    );
    const paper = await new WebClient(ctx.server.url).page('/papers/2502.00001');
    expect(paper.html).toContain('<a href="/authors/karl+benz">KÁRL  benz</a>');
  });

  it('follows and unfollows an author from their page, without JavaScript', async () => {
    const before = await ada.page('/authors/karl+benz');
    expect(before.html).toContain('aria-pressed="false">Follow</button>');
    const followed = await ada.post('/follows', {
      kind: 'author',
      target: 'Karl Benz',
      return_to: '/authors/karl+benz',
    });
    expect(followed.headers.get('location')).toBe('/authors/karl+benz');
    expect((await ada.page('/authors/karl+benz')).html).toContain('aria-pressed="true">Following</button>');
    await ada.post('/follows/delete', { kind: 'author', target: 'Karl Benz', return_to: '/authors/karl+benz' });
    expect((await ada.page('/authors/karl+benz')).html).toContain('aria-pressed="false">Follow</button>');
  });

  it('answers 404 for an unknown author, escaping the name, and refuses an oversized one', async () => {
    const visitor = new WebClient(ctx.server.url);
    const unknown = await visitor.page(`/authors/${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(unknown.status).toBe(404);
    expect(unknown.html).not.toContain('<script>alert(1)');
    // Past the router's own limit on a path segment: 414, before any lookup.
    expect((await visitor.page(`/authors/${'a'.repeat(301)}`)).status).toBe(414);
    expect((await visitor.page('/authors/%20')).status).toBe(404);
    expect((await visitor.page("/authors/'%3B%20DROP%20TABLE%20papers%3B--")).status).toBe(404);
  });
});
