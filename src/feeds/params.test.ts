import { describe, expect, it } from 'vitest';
import { layout } from '../web/templates/layout.js';
import { DEFAULT_FEED_PARAMS, feedLinksFor, feedPath, feedTitle, parseFeedParams, type FeedParams } from './params.js';

function params(query: Record<string, unknown>): FeedParams {
  const parsed = parseFeedParams(query);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.params;
}

function error(query: Record<string, unknown>): string {
  const parsed = parseFeedParams(query);
  if (parsed.ok) throw new Error(`accepted ${JSON.stringify(query)}`);
  return parsed.error;
}

describe('feed parameters', () => {
  it('defaults to the daily feed of 50 papers and ignores unknown or empty parameters', () => {
    expect(params({})).toEqual(DEFAULT_FEED_PARAMS);
    expect(params({ utm_source: 'x', q: '', limit: '' })).toEqual(DEFAULT_FEED_PARAMS);
  });

  it('reads every filter, with categories joined by + (a space once decoded), %2B, commas or repeats', () => {
    expect(
      params({
        view: 'trending',
        q: '  diffusion   models ',
        category: 'cs.CL cs.AI',
        author: 'Ada  Lovelace',
        min_upvotes: '3',
        limit: '200',
      }),
    ).toEqual({
      view: 'trending',
      q: 'diffusion models',
      categories: ['cs.AI', 'cs.CL'],
      excludedCategories: [],
      author: 'Ada Lovelace',
      minUpvotes: 3,
      limit: 200,
    });
    expect(params({ category: 'cs.CL+hep-th,q-bio.NC' }).categories).toEqual(['cs.CL', 'hep-th', 'q-bio.NC']);
    expect(params({ category: ['cs.CL', 'physics.comp-ph', 'cs.CL'] }).categories).toEqual([
      'cs.CL',
      'physics.comp-ph',
    ]);
  });

  it('rejects bad values with a message naming the parameter', () => {
    expect(error({ view: 'weekly' })).toBe('Invalid feed parameter view: must be daily or trending');
    expect(error({ limit: 'abc' })).toBe('Invalid feed parameter limit: must be a whole number from 1 to 200');
    expect(error({ limit: '10000' })).toMatch(/^Invalid feed parameter limit/);
    expect(error({ limit: '0' })).toMatch(/^Invalid feed parameter limit/);
    expect(error({ limit: '1e2' })).toMatch(/^Invalid feed parameter limit/);
    expect(error({ min_upvotes: '-1' })).toBe(
      'Invalid feed parameter min_upvotes: must be a whole number from 0 to 1000000000',
    );
    expect(error({ q: 'x'.repeat(10_000) })).toBe('Invalid feed parameter q: must be at most 500 characters');
    expect(error({ q: 'a\u0000b' })).toBe('Invalid feed parameter q: must not contain control characters');
    expect(error({ author: 'a\nb' })).toMatch(/^Invalid feed parameter author: must not contain control characters/);
    expect(error({ category: '<script>' })).toMatch(/^Invalid feed parameter category: must be arXiv categories/);
    expect(
      error({ category: Array.from({ length: 21 }, (_, i) => `cs.X${String.fromCharCode(65 + i)}`).join('+') }),
    ).toMatch(/at most 20 categories/);
    expect(error({ view: ['daily', 'trending'] })).toBe('Invalid feed parameter view: give it only once');
    expect(error({ limit: { nested: '1' } })).toMatch(/^Invalid feed parameter limit/);
  });

  it('names a feed by a canonical path and a readable title', () => {
    const p = params({ category: 'cs.CL+cs.AI', q: 'a&b', limit: '50' });
    expect(feedPath('rss', p)).toBe('/feed.xml?q=a%26b&category=cs.AI+cs.CL');
    expect(feedPath('atom', DEFAULT_FEED_PARAMS)).toBe('/atom.xml');
    expect(params(Object.fromEntries(new URLSearchParams(feedPath('rss', p).split('?')[1])))).toEqual(p);
    expect(feedTitle(p)).toBe('Newest papers in cs.AI, cs.CL matching “a&b”');
    expect(feedTitle(params({ view: 'trending', author: 'Ada', min_upvotes: '5' }))).toBe(
      'Trending papers by Ada with at least 5 upvotes',
    );
  });

  it('gives list pages RSS and Atom links that the layout puts in <head> and the footer', () => {
    const feeds = feedLinksFor({ view: 'trending', categories: ['cs.CL'] });
    expect(feeds).toEqual([
      {
        title: 'Trending papers in cs.CL (RSS)',
        href: '/feed.xml?view=trending&category=cs.CL',
        type: 'application/rss+xml',
      },
      {
        title: 'Trending papers in cs.CL (Atom)',
        href: '/atom.xml?view=trending&category=cs.CL',
        type: 'application/atom+xml',
      },
    ]);
    const page = layout({ title: 'Trending', body: '', alternateFeeds: feeds }).value;
    expect(page).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Trending papers in cs.CL (RSS)" href="/feed.xml?view=trending&amp;category=cs.CL">',
    );
    expect(page).toMatch(
      /<footer>[\s\S]*<a href="\/atom.xml\?view=trending&amp;category=cs.CL">Trending papers in cs.CL \(Atom\)<\/a>/,
    );
  });
});
