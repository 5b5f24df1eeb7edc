import { describe, expect, it } from 'vitest';
import { dailyPaperListJson } from '../../src/api/paper-json.js';
import { testDatabases } from '../helpers/db.js';
import { serveFreshDatabase } from '../helpers/server.js';
import { HOSTILE_QUERIES, seedSearchCorpus } from '../factories/search.js';
import { getJson } from './fixtures.js';

describe.each(testDatabases())('GET /api/papers/search options on $dialect', ({ create }) => {
  const api = serveFreshDatabase(create, seedSearchCorpus);
  const search = (query: string) => getJson(`${api.server.url}/api/papers/search${query}`);
  const ids = async (query: string) => {
    const { status, body } = await search(query);
    expect(status, JSON.stringify(body)).toBe(200);
    return dailyPaperListJson.parse(body).map((item) => item.paper.id);
  };

  it('keeps the Hub shape and ranks title matches first', async () => {
    // Papers with both words first, then one with only some of them fills the page.
    expect(await ids('?q=linear+attention')).toEqual(['2611.00001', '2611.00002', '2611.00003']);
    // No paper has both words: papers with either follow.
    expect((await ids('?q=linear+pruned')).sort()).toEqual(['2611.00001', '2611.00002', '2611.00003']);
  });

  it('filters by category, author and publication dates', async () => {
    expect(await ids('?q=attention&category=cs.LG')).toEqual(['2611.00002']);
    expect((await ids('?q=attention&category=cs.LG+cs.CL')).sort()).toEqual(['2611.00001', '2611.00002', '2611.00003']);
    expect((await ids('?q=attention&author=lovelace')).sort()).toEqual(['2611.00002', '2611.00003']);
    expect(await ids('?q=au:hinton')).toEqual(['2611.00001']);
    expect(await ids('?q=cat:cs.CL')).toEqual(['2611.00001', '2611.00003']);
    expect(await ids('?q=attention&from=2026-11-15')).toEqual(['2611.00001', '2611.00002']);
    expect(await ids('?q=attention&to=2026-11-15')).toEqual(['2611.00003']);
  });

  it('orders by date or upvotes on request', async () => {
    expect(await ids('?q=attention&sort=date')).toEqual(['2611.00002', '2611.00001', '2611.00003']);
    expect(await ids('?q=attention&sort=upvotes')).toEqual(['2611.00002', '2611.00001', '2611.00003']);
  });

  it('pages with p or offset', async () => {
    const all = await ids('?q=graph&sort=date&limit=30');
    expect(all).toHaveLength(25);
    expect(await ids('?q=graph&sort=date&limit=10&p=1')).toEqual(all.slice(10, 20));
    expect(await ids('?q=graph&sort=date&limit=10&offset=22')).toEqual(all.slice(22));
    expect(await ids('?q=graph&limit=10&p=2')).toHaveLength(5);
    expect(await ids('?q=graph&limit=10&p=3')).toEqual([]);
  });

  it('answers an arXiv id or URL with that paper first', async () => {
    expect(await ids('?q=2611.00002v1')).toEqual(['2611.00002']);
    expect(await ids(`?q=${encodeURIComponent('https://arxiv.org/abs/2611.00002')}`)).toEqual(['2611.00002']);
    expect(await ids('?q=2611.00004')).toEqual([]);
  });

  it('answers a mode it cannot serve with a 400, or results', async () => {
    const { status, body } = await search('?q=attention&mode=hybrid');
    if (status === 400) expect(body.error).toMatch(/^mode: hybrid search is not available/);
    else expect(status).toBe(200);
  });

  it.each([
    ['an impossible date', '?q=a&from=2026-13-01', /^from: expected a date as YYYY-MM-DD/],
    ['from after to', '?q=a&from=2026-02-03&to=2026-02-01', /^to: must not be before from/],
    ['an unknown sort', '?q=a&sort=trending', /^sort: expected one of relevance, date, upvotes/],
    ['an unknown mode', '?q=a&mode=neural', /^mode: expected one of lexical, semantic, hybrid/],
    ['a bad category', '?q=a&category=DROP%20TABLE;', /^category: must be arXiv categories/],
    ['a negative offset', '?q=a&offset=-1', /^offset: expected a whole number/],
    ['an offset too deep', '?q=a&offset=5000', /^offset: expected a whole number from 0 to 1000/],
    ['a page too deep', '?q=a&p=500', /^p: results are listed only up to the first 1000/],
    ['both p and offset', '?q=a&p=1&offset=3', /^offset: give p or offset, not both/],
    ['an author of 10 KB', `?q=a&author=${'x'.repeat(10_000)}`, /^author: must be at most 200 characters/],
    ['a NUL byte', '?q=attention%00', /^q: must not contain control characters/],
  ])('answers 400 for %s', async (_label, query, message) => {
    const { status, body } = await search(query);
    expect(status).toBe(400);
    expect(body.error).toMatch(message);
  });

  it('answers hostile queries with ordinary results', async () => {
    for (const q of HOSTILE_QUERIES) {
      const { status, body } = await search(`?q=${encodeURIComponent(q)}`);
      expect(status, q).toBe(200);
      expect(Array.isArray(body)).toBe(true);
    }
  });
});
