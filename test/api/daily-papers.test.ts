import { describe, expect, it } from 'vitest';
import { dailyPaperListJson } from '../../src/api/paper-json.js';
import { featurePapers } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { serveFreshDatabase } from '../helpers/server.js';
import { getJson } from './fixtures.js';

/** A bad query (name/value pairs) and how its 400 message must start; the label keeps test names short. */
const refusal = (named: string, ...pairs: [string, string][]) => ({
  named,
  pairs,
  label: new URLSearchParams(pairs).toString().slice(0, 60),
});

const ids = (items: Array<{ paper: { id: string } }>) => items.map((item) => item.paper.id);

describe.each(testDatabases())('GET /api/daily_papers on $dialect', ({ create }) => {
  let paper: Record<string, string>;
  let busyDay: string[];
  const api = serveFreshDatabase(create, async (db) => {
    // 2026 has 53 ISO weeks: 2026-W53 runs from Monday 2026-12-28 to Sunday 2027-01-03.
    const [endOfW52, startOfW53, endOfW53, lastOfJanuary, firstOfFebruary, hidden] = await featurePapers(db, [
      { day: '2026-12-27' },
      { day: '2026-12-28' },
      { day: '2027-01-03' },
      { day: '2026-01-31' },
      { day: '2026-02-01' },
      { day: '2026-01-31', hidden: true, upvotes: 99 },
    ]);
    paper = {
      endOfW52: endOfW52!,
      startOfW53: startOfW53!,
      endOfW53: endOfW53!,
      lastOfJanuary: lastOfJanuary!,
      firstOfFebruary: firstOfFebruary!,
      hidden: hidden!,
    };
    // The latest featured day, Monday of 2027-W01: five papers whose upvote, trending and publication orders all differ.
    busyDay = await featurePapers(db, [
      { day: '2027-01-04', upvotes: 50, trendingScore: 1, submitter: 'ada', record: { publishedOn: '2027-01-01' } },
      { day: '2027-01-04', upvotes: 40, trendingScore: 5, submitter: 'alan', record: { publishedOn: '2027-01-03' } },
      { day: '2027-01-04', upvotes: 30, trendingScore: 3, submitter: 'ada', record: { publishedOn: '2026-12-30' } },
      { day: '2027-01-04', upvotes: 20, trendingScore: 4, submitter: 'grace', record: { publishedOn: '2027-01-02' } },
      { day: '2027-01-04', upvotes: 10, trendingScore: 2, submitter: 'ada', record: { publishedOn: '2026-12-31' } },
    ]);
  });
  const list = (query: string) => getJson(`${api.server.url}/api/daily_papers${query}`);

  it('without a period lists the latest featured day, most upvoted first, as cacheable JSON', async () => {
    const { status, headers, body } = await list('');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(headers.get('cache-control')).toBe('public, max-age=60');
    expect(ids(dailyPaperListJson.parse(body))).toEqual(busyDay);
    expect(body[0]).toMatchObject({
      publishedAt: expect.stringMatching(/^2027-01-04T/),
      numComments: 0,
      submittedBy: { user: 'ada', fullname: 'ada' },
      paper: {
        upvotes: 50,
        submittedOnDailyAt: expect.stringMatching(/^2027-01-04T/),
        authors: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }],
      },
    });
  });

  it('lists one day, and nothing for a day without papers', async () => {
    expect(ids((await list('?date=2026-12-28')).body)).toEqual([paper.startOfW53]);
    expect((await list('?date=2026-12-29')).body).toEqual([]);
  });

  it('lists an ISO week that spans the turn of the year, and no day outside it', async () => {
    expect(ids((await list('?week=2026-W53')).body).sort()).toEqual([paper.startOfW53, paper.endOfW53].sort());
    expect(ids((await list('?week=2026-W52')).body)).toEqual([paper.endOfW52]);
    expect(ids((await list('?week=2027-W01')).body)).toEqual(busyDay);
  });

  it('counts a paper featured on the last day of a month in that month and not the next', async () => {
    expect(ids((await list('?month=2026-01')).body)).toEqual([paper.lastOfJanuary]);
    expect(ids((await list('?month=2026-02')).body)).toEqual([paper.firstOfFebruary]);
    expect(ids((await list('?month=2026-12')).body).sort()).toEqual([paper.endOfW52, paper.startOfW53].sort());
    expect(ids((await list('?month=2027-01')).body)).toEqual([...busyDay, paper.endOfW53]);
  });

  it('never lists hidden papers', async () => {
    expect(ids((await list('?date=2026-01-31')).body)).toEqual([paper.lastOfJanuary]);
  });

  it('pages with p (from 0) and limit', async () => {
    expect(ids((await list('?limit=2')).body)).toEqual(busyDay.slice(0, 2));
    expect(ids((await list('?limit=2&p=1')).body)).toEqual(busyDay.slice(2, 4));
    expect(ids((await list('?limit=2&p=2')).body)).toEqual(busyDay.slice(4));
    expect((await list('?limit=2&p=3')).body).toEqual([]);
  });

  it('sorts by trending score or by publication date on request', async () => {
    const byTrending = [busyDay[1], busyDay[3], busyDay[2], busyDay[4], busyDay[0]];
    expect(ids((await list('?date=2027-01-04&sort=trending')).body)).toEqual(byTrending);
    const byPublication = [busyDay[1], busyDay[3], busyDay[0], busyDay[4], busyDay[2]];
    expect(ids((await list('?date=2027-01-04&sort=publishedAt')).body)).toEqual(byPublication);
    expect(ids((await list('?date=2027-01-04&sort=upvotes')).body)).toEqual(busyDay);
  });

  it('without a period, sort=trending ranks the whole feed', async () => {
    const { body } = await list('?sort=trending&limit=100');
    expect(body).toHaveLength(10);
    expect(body[0].paper.id).toBe(busyDay[1]);
  });

  it('filters by submitter, within a period or across the whole feed', async () => {
    expect(ids((await list('?date=2027-01-04&submitter=ada')).body)).toEqual([busyDay[0], busyDay[2], busyDay[4]]);
    const { body } = await list('?submitter=curator');
    expect(body.map((item: any) => item.submittedBy.user)).toEqual(Array(5).fill('curator'));
    expect((await list('?submitter=nobody')).body).toEqual([]);
  });

  it.each([
    refusal('date:', ['date', '2026-02-30']),
    refusal('date:', ['date', '2026-13-01']),
    refusal('date:', ['date', 'yesterday']),
    refusal('date:', ['date', '２０２６-01-01']),
    refusal('date:', ['date', "2026-01-01' OR '1'='1"]),
    refusal('date:', ['date', '2026-01-01'], ['date', '2026-01-02']),
    refusal('week:', ['week', '2026-W54']),
    refusal('week:', ['week', '2025-W53']),
    refusal('week:', ['week', '2026-48']),
    refusal('month:', ['month', '2026-13']),
    refusal('month:', ['month', '2026-1']),
    refusal('limit:', ['limit', '0']),
    refusal('limit:', ['limit', '101']),
    refusal('limit:', ['limit', 'abc']),
    refusal('limit:', ['limit', '1.5']),
    refusal('limit:', ['limit', '']),
    refusal('p:', ['p', '-1']),
    refusal('p:', ['p', 'two']),
    refusal('sort:', ['sort', 'random']),
    refusal('sort:', ['sort', '<script>alert(1)</script>']),
    refusal('submitter:', ['submitter', 'x'.repeat(10_000)]),
    refusal('submitter:', ['submitter', 'ada\u0000']),
    refusal('give only one of date, week or month', ['date', '2026-01-01'], ['month', '2026-01']),
  ])('refuses $label with a 400 that starts "$named"', async ({ pairs, named }) => {
    const { status, headers, body } = await list(`?${new URLSearchParams(pairs)}`);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toContain('application/json');
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.startsWith(named), body.error).toBe(true);
  });

  it('treats injection and markup in the submitter as a name that matches nobody', async () => {
    for (const submitter of ["' OR 1=1 --", '<script>alert(1)</script>', '名前', '\u{1F600}']) {
      const { status, body } = await list(`?submitter=${encodeURIComponent(submitter)}`);
      expect(status).toBe(200);
      expect(body).toEqual([]);
    }
  });
});

describe.each(testDatabases())('GET /api/daily_papers on an empty $dialect database', ({ create }) => {
  const api = serveFreshDatabase(create);

  it('answers an empty list before anything is featured', async () => {
    expect(await getJson(`${api.server.url}/api/daily_papers`)).toMatchObject({ status: 200, body: [] });
  });
});
