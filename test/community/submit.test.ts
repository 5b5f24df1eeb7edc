import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/rank/periods.js';
import { recordedAtomLookup, startArxivServer, type ArxivServer } from '../helpers/arxiv-server.js';
import { testDatabases } from '../helpers/db.js';
import { paperRow, signedUp, storedPaper, serveCommunity } from './fixtures.js';

const today = () => new Date().toISOString().slice(0, 10);

/** A fake arXiv export API answering from recorded responses, for papers not in the store. */
let arxiv: ArxivServer;
const arxivEnv: Record<string, string> = { ARXIV_DELAY_MS: '0', ARXIV_RETRIES: '0', ARXIV_CONTACT: 'ops@example.org' };
beforeAll(async () => {
  arxiv = await startArxivServer(recordedAtomLookup());
  arxivEnv.ARXIV_API_URL = arxiv.apiUrl;
});
afterAll(async () => arxiv.close());

describe.each(testDatabases())('submissions on $dialect', ({ create }) => {
  const ctx = serveCommunity(create, () => ({ ...arxivEnv, SUBMIT_DAILY_LIMIT: '3', SUBMIT_WINDOW_DAYS: '14' }));

  it('features a stored paper on today\'s list with "submitted by", from an arXiv URL', async () => {
    const paper = await storedPaper(
      ctx.db,
      { publishedOn: addDays(today(), -3), title: 'A $118\\times$ faster \\textsc{Sort} <b>here</b>' },
      null,
    );
    const ada = await signedUp(ctx.db, ctx.server.url);
    const form = await ada.page('/submit');
    expect(form.html).toContain('arXiv id or URL');
    const response = await ada.post('/submit', { paper: `https://arxiv.org/abs/${paper.id}v2` });
    expect(response.status).toBe(201);
    const page = await response.text();
    expect(page).toContain("is on today's list");
    // The message shows the title as the paper page does: math rendered, markup escaped, no LaTeX source.
    expect(page).toContain('<span class="smallcaps">Sort</span> &lt;b&gt;here&lt;/b&gt;</a>');
    expect(page).toContain('aria-label="118\\times"');
    expect(page).toContain('/static/katex/katex.min.css');
    const row = await paperRow(ctx.db, paper.id);
    expect(row.featured_on).toBe(today());
    expect(row.submitted_by).toBe(ada.username);
    expect(row.trending_score).toBeGreaterThan(20_000);
  });

  it('points a duplicate submission to the paper already featured and changes nothing', async () => {
    const paper = await storedPaper(ctx.db, { publishedOn: addDays(today(), -1) }, addDays(today(), -1));
    const before = await paperRow(ctx.db, paper.id);
    const bob = await signedUp(ctx.db, ctx.server.url);
    const api = await bob.json(
      'POST',
      '/api/papers/submit',
      { id: `arXiv:${paper.id}` },
      { 'x-csrf-token': bob.csrfToken },
    );
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({
      id: paper.id,
      duplicate: true,
      featuredOn: addDays(today(), -1),
      url: `${ctx.server.url}/papers/${paper.id}`,
    });
    const page = await bob.post('/submit', { paper: paper.id });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`is already on the list of ${addDays(today(), -1)}`);
    expect(await paperRow(ctx.db, paper.id)).toEqual(before);
  });

  it('explains each refused submission and changes nothing', async () => {
    const old = await storedPaper(ctx.db, { publishedOn: addDays(today(), -30) }, null);
    const hidden = await storedPaper(ctx.db, {}, null);
    await ctx.db.kysely.updateTable('papers').set({ hidden: 1 }).where('id', '=', hidden.id).execute();
    const ada = await signedUp(ctx.db, ctx.server.url);
    const cases: [string, number, string][] = [
      ['not a paper <b>', 400, 'is not an arXiv id or URL'],
      ['doi:10.1101/2024.01.02.123456', 400, 'is not an arXiv id or URL'],
      ['2501.99999', 404, 'arXiv has no paper 2501.99999.'],
      [
        old.id,
        400,
        `Papers can be submitted up to 14 days after publication; ${old.id} was published on ${addDays(today(), -30)}.`,
      ],
      [hidden.id, 403, 'Moderators removed'],
    ];
    for (const [input, status, message] of cases) {
      const response = await ada.post('/submit', { paper: input });
      expect(response.status, input).toBe(status);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).not.toContain('<b>');
      const api = await ada.json('POST', '/api/papers/submit', { id: input }, { 'x-csrf-token': ada.csrfToken });
      expect(api.status).toBe(status);
      expect(api.body.error).toContain(message.replace('&#39;', "'"));
    }
    expect((await paperRow(ctx.db, old.id)).featured_on).toBeNull();
    const wrongType = await ada.json('POST', '/api/papers/submit', { id: 2501 }, { 'x-csrf-token': ada.csrfToken });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toContain('Give the paper as {"id": "2501.12345"}');
    const truncated = await ada.request('POST', '/api/papers/submit', {
      body: '{"id": "2501.',
      headers: { 'content-type': 'application/json', 'x-csrf-token': ada.csrfToken },
    });
    expect(truncated.status).toBe(400);
    expect((await truncated.json()).error).toBeTruthy();
  });

  it('stops a member at the daily submission limit with 429 and Retry-After', async () => {
    const papers = await Promise.all([1, 2, 3, 4].map(() => storedPaper(ctx.db, {}, null)));
    const ada = await signedUp(ctx.db, ctx.server.url);
    for (const paper of papers.slice(0, 3)) expect((await ada.post('/submit', { paper: paper.id })).status).toBe(201);
    const limited = await ada.json(
      'POST',
      '/api/papers/submit',
      { id: papers[3]!.id },
      { 'x-csrf-token': ada.csrfToken },
    );
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('You have reached the limit of 3 submissions a day; submit more tomorrow (UTC).');
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await paperRow(ctx.db, papers[3]!.id)).featured_on).toBeNull();
  });

  it('asks visitors to log in', async () => {
    const visitor = new (await import('../helpers/web-client.js')).WebClient(ctx.server.url);
    const page = await visitor.page('/submit');
    expect(page.status).toBe(303);
    expect(page.response.headers.get('location')).toBe('/login?next=%2Fsubmit');
    const api = await visitor.json('POST', '/api/papers/submit', { id: '2501.00001' });
    expect(api.status).toBe(401);
    expect(api.body.error).toBe('Log in to submit papers.');
  });
});

describe.each(testDatabases())('submission brakes on $dialect', ({ create }) => {
  const ctx = serveCommunity(create, { NEW_ACCOUNT_DELAY_MINUTES: '15', RATE_LIMIT_SUBMIT: '1,50/1h' });

  it('makes new accounts wait, then limits attempts per account', async () => {
    const paper = await storedPaper(ctx.db, {}, null);
    const fresh = await signedUp(ctx.db, ctx.server.url, 'member', { createdAt: new Date() });
    const early = await fresh.post('/submit', { paper: paper.id });
    expect(early.status).toBe(403);
    expect(await early.text()).toContain('New accounts can submit papers 15 minutes after signing up');
    expect((await paperRow(ctx.db, paper.id)).featured_on).toBeNull();

    const seasoned = await signedUp(ctx.db, ctx.server.url, 'member', { createdAt: new Date(Date.now() - 3600_000) });
    expect((await seasoned.post('/submit', { paper: 'nonsense' })).status).toBe(400);
    const limited = await seasoned.post('/submit', { paper: paper.id });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await paperRow(ctx.db, paper.id)).featured_on).toBeNull();
  });
});

describe.each(testDatabases())('submissions of papers not yet stored, on $dialect', ({ create }) => {
  const ctx = serveCommunity(create, () => ({ ...arxivEnv, SUBMIT_WINDOW_DAYS: '3650' }));

  it('fetches the metadata from arXiv, stores the paper and features it', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const response = await ada.json(
      'POST',
      '/api/papers/submit',
      { id: 'https://arxiv.org/abs/1707.08567' },
      { 'x-csrf-token': ada.csrfToken },
    );
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: '1707.08567',
      title: 'Proceedings of Workshop AEW10: Concepts in Information Theory and Communications',
      featuredOn: today(),
      duplicate: false,
    });
    expect((await paperRow(ctx.db, '1707.08567')).submitted_by).toBe(ada.username);
    expect(arxiv.requests.at(-1)!.query.get('id_list')).toBe('1707.08567');
  });

  it('stores nothing for a paper arXiv has that is too old, or one arXiv does not have', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const old = await ada.json('POST', '/api/papers/submit', { id: '1605.08386' }, { 'x-csrf-token': ada.csrfToken });
    expect(old.status).toBe(400);
    expect(old.body.error).toMatch(
      /^Papers can be submitted up to 3650 days after publication; 1605\.08386 was published on 2016-05-/,
    );
    const missing = await ada.json(
      'POST',
      '/api/papers/submit',
      { id: '2511.99999' },
      { 'x-csrf-token': ada.csrfToken },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('arXiv has no paper 2511.99999.');
    const stored = await ctx.db.kysely
      .selectFrom('papers')
      .select('id')
      .where('id', 'in', ['1605.08386', '2511.99999'])
      .execute();
    expect(stored).toEqual([]);
  });

  it('says so when arXiv cannot be reached', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    arxiv.respond(() => ({ status: 503, body: 'down for maintenance', headers: { 'content-type': 'text/plain' } }));
    try {
      const response = await ada.json(
        'POST',
        '/api/papers/submit',
        { id: '2104.12255' },
        { 'x-csrf-token': ada.csrfToken },
      );
      expect(response.status).toBe(502);
      expect(response.body.error).toBe('arXiv could not be reached to look up 2104.12255. Try again later.');
      expect(await ctx.db.kysely.selectFrom('papers').select('id').where('id', '=', '2104.12255').execute()).toEqual(
        [],
      );
    } finally {
      arxiv.respond(recordedAtomLookup());
    }
  });
});
