import { describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/db.js';
import { serveCommunity, signedUp, storedPaper } from '../community/fixtures.js';
import { HOSTILE_TEXT } from '../fuzz/hostile.js';

/**
 * Issue 11, defect 3, with the fuzz suite's hostile LaTeX: a comment must never fail the pages that show it
 * (before the render was bounded, a 4.8 KB run of nested braces made the paper page answer 500).
 */
describe.each(testDatabases())('comments of hostile LaTeX (defect 3, bounded rendering) on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('accepts or refuses each one, and its paper page and thread still answer', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    for (const body of HOSTILE_TEXT.latex!) {
      expect((await ada.post('/comments', { paper: paper.id, body })).status, body.slice(0, 40)).toBeLessThan(500);
    }
    expect((await ada.page(`/papers/${paper.id}`)).status).toBe(200);
    expect((await ada.json('GET', `/api/comments?paper=${paper.id}`)).status).toBe(200);
  });
});
