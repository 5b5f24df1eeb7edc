import { describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/db.js';
import { countRows, paperRow, postComment, serveCommunity, signedUp, storedPaper, type Member } from './fixtures.js';

describe.each(testDatabases())('comments on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  async function thread(client: Member, paperId: string) {
    return (await client.json('GET', `/api/comments?paper=${encodeURIComponent(paperId)}`)).body;
  }

  it('posts threaded comments with Markdown and LaTeX math, and counts them', async () => {
    const paper = await storedPaper(ctx.db);
    const [ada, bob] = [await signedUp(ctx.db, ctx.server.url), await signedUp(ctx.db, ctx.server.url)];
    const first = await postComment(
      ada,
      paper.id,
      'The bound $O(n \\log n)$ is **tight**:\n\n$$\\sum_{i=1}^n i = \\frac{n(n+1)}{2}$$',
    );
    const reply = await postComment(bob, paper.id, 'Agreed, see [the appendix](https://example.org/appendix).', first);
    await postComment(ada, paper.id, 'Thanks!', reply);
    const body = await thread(ada, paper.id);
    expect(body.numComments).toBe(3);
    expect(body.comments).toHaveLength(1);
    const top = body.comments[0];
    expect(top.author).toBe(ada.username);
    expect(top.html).toContain('<strong>tight</strong>');
    expect(top.html).toContain('class="katex"');
    expect(top.html).toContain('class="katex-display"');
    expect(top.html).toContain('<annotation encoding="application/x-tex">O(n \\log n)</annotation>');
    expect(top.replies[0].author).toBe(bob.username);
    expect(top.replies[0].html).toContain(
      '<a href="https://example.org/appendix" rel="nofollow ugc noopener noreferrer">the appendix</a>',
    );
    expect(top.replies[0].replies[0].body).toBe('Thanks!');
    expect((await paperRow(ctx.db, paper.id)).num_comments).toBe(3);
  });

  it('strips scripts, event handlers, javascript: links and remote images', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    await postComment(
      ada,
      paper.id,
      [
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(2)>',
        '[click](javascript:alert(3))',
        '<a href="javascript:alert(4)" onclick="alert(5)">raw</a>',
        '![tracker](https://tracker.example/pixel.png)',
        '$\\href{javascript:alert(6)}{x}$',
      ].join('\n\n'),
    );
    const html: string = (await thread(ada, paper.id)).comments[0].html;
    expect(html).not.toMatch(/<script|<img|<[a-z][^>]*\son\w+=|<a[^>]*href="javascript:/i);
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain(
      '<a href="https://tracker.example/pixel.png" rel="nofollow ugc noopener noreferrer">tracker</a>',
    );
  });

  it('refuses an empty comment, a 1 MB comment, and a reply to a deleted comment, storing nothing', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    const parent = await postComment(ada, paper.id, 'soon deleted');
    expect((await ada.post(`/comments/${parent}/delete`, {})).status).toBe(303);
    const before = await countRows(ctx.db, 'comments');

    const empty = await ada.post('/comments', { paper: paper.id, body: '   ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Write a comment first.');
    const huge = await ada.json(
      'POST',
      '/api/comments',
      { paperId: paper.id, body: 'x'.repeat(1_000_000) },
      { 'x-csrf-token': ada.csrfToken },
    );
    expect(huge.status).toBe(400);
    expect(huge.body.error).toBe('Comments are limited to 10,000 characters; this one has 1,000,000.');
    const hugeForm = await ada.post('/comments', { paper: paper.id, body: 'x'.repeat(1_000_000) });
    expect([400, 413]).toContain(hugeForm.status);
    expect(await hugeForm.text()).toMatch(/Comments are limited to 10,000 characters|too large/);
    const toDeleted = await ada.post('/comments', { paper: paper.id, body: 'hello?', parent: String(parent) });
    expect(toDeleted.status).toBe(409);
    expect(await toDeleted.text()).toContain('That comment was deleted, so you cannot reply to it.');
    const toMissing = await ada.json(
      'POST',
      '/api/comments',
      { paperId: paper.id, parentId: 999_999, body: 'hi' },
      { 'x-csrf-token': ada.csrfToken },
    );
    expect(toMissing.status).toBe(404);
    expect(toMissing.body.error).toBe('The comment you are replying to does not exist on this paper.');
    const noPaper = await ada.json(
      'POST',
      '/api/comments',
      { paperId: '2501.99999', body: 'hi' },
      { 'x-csrf-token': ada.csrfToken },
    );
    expect(noPaper.status).toBe(404);
    const wrongType = await ada.json(
      'POST',
      '/api/comments',
      { paperId: paper.id, parentId: 'one', body: 'hi' },
      { 'x-csrf-token': ada.csrfToken },
    );
    expect(wrongType.status).toBe(400);
    const noCsrf = await ada.json('POST', '/api/comments', { paperId: paper.id, body: 'hi' });
    expect(noCsrf.status).toBe(403);
    expect(await countRows(ctx.db, 'comments')).toBe(before);
    expect((await paperRow(ctx.db, paper.id)).num_comments).toBe(0);
  });

  it('edits and deletes only your own comments; deleting keeps replies in place', async () => {
    const paper = await storedPaper(ctx.db);
    const [ada, bob] = [await signedUp(ctx.db, ctx.server.url), await signedUp(ctx.db, ctx.server.url)];
    const id = await postComment(ada, paper.id, 'frist');
    await postComment(bob, paper.id, 'a reply', id);

    const editForm = await ada.page(`/comments/${id}/edit`);
    expect(editForm.html).toContain('>frist</textarea>');
    expect((await ada.post(`/comments/${id}/edit`, { body: 'first' })).status).toBe(303);
    const edited = (await thread(ada, paper.id)).comments[0];
    expect(edited.body).toBe('first');
    expect(edited.editedAt).not.toBeNull();

    const notYours = await bob.post(`/comments/${id}/edit`, { body: 'vandalised' });
    expect(notYours.status).toBe(403);
    expect(await notYours.text()).toContain('You can only edit your own comments.');
    expect((await bob.json('DELETE', `/api/comments/${id}`, undefined, { 'x-csrf-token': bob.csrfToken })).status).toBe(
      403,
    );
    const tooLong = await ada.post(`/comments/${id}/edit`, { body: 'y'.repeat(10_001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('Comments are limited to 10,000 characters; this one has 10,001.');
    expect((await thread(ada, paper.id)).comments[0].body).toBe('first');

    expect((await ada.json('DELETE', `/api/comments/${id}`, undefined, { 'x-csrf-token': ada.csrfToken })).status).toBe(
      204,
    );
    const after = (await thread(bob, paper.id)).comments[0];
    expect(after).toMatchObject({ deleted: true, body: null, author: null });
    expect(after.replies[0].body).toBe('a reply');
    expect((await paperRow(ctx.db, paper.id)).num_comments).toBe(1);
    const again = await ada.post(`/comments/${id}/delete`, {});
    expect(again.status).toBe(409);
    const editDeleted = await ada.json(
      'PATCH',
      `/api/comments/${id}`,
      { body: 'back' },
      { 'x-csrf-token': ada.csrfToken },
    );
    expect(editDeleted.status).toBe(409);
    expect(editDeleted.body.error).toBe('That comment was deleted, so you cannot edit it.');
  });
});

describe.each(testDatabases())('the paper page discussion on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it("shows threads, own-comment controls, moderator tools and the reader's vote, escaping everything", async () => {
    const paper = await storedPaper(ctx.db, { title: 'Bounds for $x<y$' });
    const [ada, bob, moderator] = [
      await signedUp(ctx.db, ctx.server.url),
      await signedUp(ctx.db, ctx.server.url),
      await signedUp(ctx.db, ctx.server.url, 'moderator'),
    ];
    const posted = await ada.json(
      'POST',
      '/api/comments',
      { paperId: paper.id, body: 'Hello $\\alpha$ <img src=x onerror=alert(1)>' },
      { 'x-csrf-token': ada.csrfToken },
    );
    await bob.json(
      'POST',
      '/api/comments',
      { paperId: paper.id, parentId: posted.body.id, body: 'hidden soon' },
      { 'x-csrf-token': bob.csrfToken },
    );
    await ada.post('/vote', { paper: paper.id, direction: 'up' });

    const asAda = (await ada.page(`/papers/${paper.id}`)).html;
    expect(asAda).toContain('<h2>Comments <span class="muted">(2)</span></h2>');
    expect(asAda).toContain(`href="/comments/${posted.body.id}/edit"`);
    expect(asAda).toContain('value="down" aria-pressed="true"');
    expect(asAda).toContain('<script src="/static/vote.js" defer></script>');
    expect(asAda).toContain('/static/katex/katex.min.css');
    expect(asAda).not.toContain('<img src=x');
    expect(asAda).not.toContain('/moderation/comments/');

    const asModerator = await moderator.page(`/papers/${paper.id}`);
    expect(asModerator.html).toContain(`action="/moderation/comments/${posted.body.id}"`);
    const reply = /data-comment-id="(\d+)"/g;
    const ids = [...asModerator.html.matchAll(reply)].map((m) => Number(m[1]));
    await moderator.post(`/moderation/comments/${ids[1]}`, { action: 'hide' });

    const asVisitor = await new (await import('../helpers/web-client.js')).WebClient(ctx.server.url).page(
      `/papers/${paper.id}`,
    );
    expect(asVisitor.html).toContain('[hidden by a moderator]');
    expect(asVisitor.html).not.toContain('hidden soon');
    expect(asVisitor.html).toContain('to comment.</p>');
    expect(asVisitor.html).not.toContain('<textarea');
    expect(asVisitor.html).not.toContain('vote.js');
    expect(asVisitor.html).toContain('<h2>Comments <span class="muted">(1)</span></h2>');
    expect((await moderator.page(`/papers/${paper.id}`)).html).toContain('hidden soon');
  });
});
