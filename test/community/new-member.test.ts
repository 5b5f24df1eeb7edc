import { describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { paperRow, signedUp, storedPaper, serveCommunity } from './fixtures.js';

describe.each(testDatabases())("a new member's first hour on $dialect", ({ create }) => {
  const ctx = serveCommunity(create, { NEW_ACCOUNT_DELAY_MINUTES: '10' });

  it('says at sign-up that upvoting and submitting wait 10 minutes', async () => {
    const page = await new WebClient(ctx.server.url).page('/signup');
    expect(page.html).toContain(
      'You can comment right away; upvoting and submitting papers open 10 minutes after you sign up.',
    );
  });

  it('answers a too-early upvote without JavaScript with the time left and a way back to the page', async () => {
    const paper = await storedPaper(ctx.db);
    const fresh = await signedUp(ctx.db, ctx.server.url, 'member', { createdAt: new Date(Date.now() - 3 * 60_000) });
    const response = await fresh.post('/vote', { paper: paper.id, direction: 'up', return_to: `/papers/${paper.id}` });
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain(
      '<p class="error" role="alert">New accounts can vote 10 minutes after signing up; try again in 7 minutes.</p>',
    );
    expect(page).toContain(`<a class="button primary" href="/papers/${paper.id}">Back to the page</a>`);
    expect((await paperRow(ctx.db, paper.id)).upvotes).toBe(0);
  });
});
