import { describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/db.js';
import { countRows, postComment, serveCommunity, signedUp, storedPaper } from './fixtures.js';

describe.each(testDatabases())('comment forms without JavaScript on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it("gives a refused comment back in the paper page's form, with the reason", async () => {
    const paper = await storedPaper(ctx.db, { title: 'A paper worth discussing' });
    const ada = await signedUp(ctx.db, ctx.server.url);
    const before = await countRows(ctx.db, 'comments');
    const typed = `My long thoughts & <notes> ${'x'.repeat(10_000)}`;
    const tooLong = await ada.post('/comments', { paper: paper.id, body: typed });
    expect(tooLong.status).toBe(400);
    const page = await tooLong.text();
    expect(page).toContain('A paper worth discussing');
    expect(page).toContain(
      `Comments are limited to 10,000 characters; this one has ${typed.length.toLocaleString('en')}.`,
    );
    expect(page).toContain(`>My long thoughts &amp; &lt;notes&gt; ${'x'.repeat(10_000)}</textarea>`);

    const empty = await ada.post('/comments', { paper: paper.id, body: '  ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(
      /<p class="error" role="alert">Write a comment first.<\/p>[\s\S]*<textarea name="body"/,
    );
    expect(await countRows(ctx.db, 'comments')).toBe(before);
  });

  it('gives a refused reply back in its open reply form', async () => {
    const paper = await storedPaper(ctx.db);
    const [ada, bob] = [await signedUp(ctx.db, ctx.server.url), await signedUp(ctx.db, ctx.server.url)];
    const parent = await postComment(ada, paper.id, 'First!');
    const other = await postComment(ada, paper.id, 'Second, soon deleted');
    expect((await ada.post(`/comments/${other}/delete`, {})).status).toBe(303);
    const empty = await bob.post('/comments', { paper: paper.id, parent: String(parent), body: ' ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(
      /<details class="reply" open><summary>Reply<\/summary><form[^>]*>\s*<p class="error" role="alert">Write a comment first.<\/p>/,
    );
    // The deleted comment has no reply form any more, so the text comes back in the paper's own form.
    const toDeleted = await bob.post('/comments', { paper: paper.id, parent: String(other), body: 'Too late?' });
    expect(toDeleted.status).toBe(409);
    const page = await toDeleted.text();
    expect(page).toMatch(
      /<p class="error" role="alert">That comment was deleted, so you cannot reply to it.<\/p>[\s\S]*aria-label="Comment">Too late\?<\/textarea>/,
    );
    expect(page).not.toContain('<details class="reply" open>');
  });

  it('asks before deleting a comment, on a page of its own', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    const id = await postComment(ada, paper.id, 'Regrettable **take**');
    const paperPage = await ada.page(`/papers/${paper.id}`);
    expect(paperPage.html).toContain(`<a href="/comments/${id}/delete">Delete</a>`);
    expect(paperPage.html).not.toContain(`action="/comments/${id}/delete"`);

    const confirm = await ada.page(`/comments/${id}/delete`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('Delete your comment?');
    expect(confirm.html).toContain('Regrettable <strong>take</strong>');
    expect(confirm.html).toContain(`<form method="post" action="/comments/${id}/delete"`);
    expect(confirm.html).toContain(`href="/papers/${paper.id}#comment-${id}">Keep it`);
    expect((await ada.page(`/papers/${paper.id}`)).html).toContain('Regrettable <strong>take</strong>');

    expect((await ada.post(`/comments/${id}/delete`, {})).status).toBe(303);
    expect((await ada.page(`/papers/${paper.id}`)).html).not.toContain('Regrettable');
    expect((await ada.page(`/comments/${id}/delete`)).status).toBe(404);
    const bob = await signedUp(ctx.db, ctx.server.url);
    const someoneElses = await postComment(ada, paper.id, 'Mine');
    expect((await bob.page(`/comments/${someoneElses}/delete`)).status).toBe(404);
  });
});
