import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArxivServer, type ArxivServer } from '../helpers/arxiv-server.js';
import { testDatabases } from '../helpers/db.js';
import { signedUp, serveCommunity } from './fixtures.js';

let arxiv: ArxivServer;
const arxivEnv: Record<string, string> = { ARXIV_DELAY_MS: '0', ARXIV_CONTACT: 'ops@example.org' };
beforeAll(async () => {
  // An arXiv that sends its headers and then nothing more: with the default timeouts and retries it held a submission ~30 s.
  arxiv = await startArxivServer(() => ({ stallAfter: 0, body: '' }));
  arxivEnv.ARXIV_API_URL = arxiv.apiUrl;
});
afterAll(async () => arxiv.close());

describe('submitting while arXiv does not answer', () => {
  const ctx = serveCommunity(testDatabases()[0]!.create, () => arxivEnv);

  // The lookup is cut off at 8 s; this bound only keeps a regression from hanging the suite.
  it('says that arXiv did not answer, keeping what was typed, and stores nothing', { timeout: 20_000 }, async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const response = await ada.post('/submit', { paper: 'https://arxiv.org/abs/2104.12255' });
    expect(response.status).toBe(504);
    const page = await response.text();
    expect(page).toContain(
      'arXiv did not answer within 8 seconds, so 2104.12255 could not be looked up. Try again in a minute.',
    );
    expect(page).toContain('value="https://arxiv.org/abs/2104.12255"');
    expect(arxiv.requests.length).toBeGreaterThanOrEqual(2);
    expect(await ctx.db.kysely.selectFrom('papers').select('id').execute()).toEqual([]);
  });
});
