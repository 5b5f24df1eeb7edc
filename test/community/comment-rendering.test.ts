import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { renderMissingCommentHtml } from '../../src/community/comment.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { postComment, serveCommunity, signedUp, storedPaper } from './fixtures.js';

/** 4.8 KB of nested braces: KaTeX recursed once per level and overflowed the stack. */
const NESTED = `$${'{'.repeat(2400)}x${'}'.repeat(2400)}$`;
/** 6.6 KB of small formulas: each one was about 1.2 KB of markup, about 580 KB per comment. */
const MANY_FORMULAS = '$\\frac{a}{b}$ '.repeat(470);
/** A title from an import, 2 KB of nested superscripts (the length alone let it through to KaTeX). */
const NESTED_TITLE = `On $${'x^{'.repeat(490)}x${'}'.repeat(490)}$`;

describe.each(testDatabases())("rendering members' and harvested text on $dialect", ({ create }) => {
  const ctx = serveCommunity(create);

  it('shows a deeply nested formula as its source, to readers, in the API and to moderators after hiding it', async () => {
    const paper = await storedPaper(ctx.db);
    const [ada, moderator] = [
      await signedUp(ctx.db, ctx.server.url),
      await signedUp(ctx.db, ctx.server.url, 'moderator'),
    ];
    const id = await postComment(ada, paper.id, `Look: ${NESTED} and $E=mc^2$`);
    const source = `<code>${NESTED}</code>`;

    const page = await new WebClient(ctx.server.url).page(`/papers/${paper.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(source);
    expect(page.html).toContain('<annotation encoding="application/x-tex">E=mc^2</annotation>');
    const api = await ada.json('GET', `/api/comments?paper=${paper.id}`);
    expect(api.status).toBe(200);
    expect(api.body.comments[0].html).toContain(source);

    expect((await moderator.post(`/moderation/comments/${id}`, { action: 'hide' })).status).toBe(303);
    const moderated = await moderator.page(`/papers/${paper.id}`);
    expect(moderated.status).toBe(200);
    expect(moderated.html).toContain('Hidden by a moderator; only moderators see this.');
    expect(moderated.html).toContain(source);
    const moderatedApi = await moderator.json('GET', `/api/comments?paper=${paper.id}`);
    expect(moderatedApi.status).toBe(200);
    expect(moderatedApi.body.comments[0].html).toContain(source);
  });

  it('keeps a page of ten formula-heavy comments under 1 MB, rendering the first formulas of each', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    for (let i = 0; i < 10; i++) await postComment(ada, paper.id, MANY_FORMULAS);
    const page = await new WebClient(ctx.server.url).page(`/papers/${paper.id}`);
    expect(page.status).toBe(200);
    expect(page.html.length).toBeLessThan(1_000_000);
    const comments = page.html.split('class="comment-body"').slice(1);
    expect(comments).toHaveLength(10);
    for (const body of comments) {
      expect(body).toContain('<annotation encoding="application/x-tex">\\frac{a}{b}</annotation>');
      expect(body).toContain('<code>$\\frac{a}{b}$</code>');
    }
  });

  it('shows a hostile title from an import as text, and bounds the markup of a formula-heavy abstract', async () => {
    const paper = await storedPaper(ctx.db, { title: NESTED_TITLE, abstract: '$\\frac{a}{b}$ '.repeat(700) });
    for (const path of ['/', `/api/papers/${paper.id}`])
      expect((await new WebClient(ctx.server.url).page(path)).status, path).toBe(200);
    const page = await new WebClient(ctx.server.url).page(`/papers/${paper.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`On $${'x^{'.repeat(490)}x`);
    expect(page.html).not.toContain('aria-label="x^{x^{');
    expect(page.html).toContain('aria-label="\\frac{a}{b}"');
    expect(page.html.length).toBeLessThan(250_000);
  });

  it('renders comments stored before their HTML was (back-filled by migrate and serve)', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    const id = await postComment(ada, paper.id, 'An **old** comment');
    await sql`UPDATE comments SET body_html = NULL WHERE id = ${id}`.execute(ctx.db.kysely);
    expect(await renderMissingCommentHtml(ctx.db)).toBe(1);
    expect((await new WebClient(ctx.server.url).page(`/papers/${paper.id}`)).html).toContain(
      '<p>An <strong>old</strong> comment</p>',
    );
    expect(await renderMissingCommentHtml(ctx.db)).toBe(0);
  });
});
