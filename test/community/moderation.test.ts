import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { recomputeTrendingScores } from '../../src/rank/recompute.js';
import { papersWithDriftedCounts } from '../../src/store/votes.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { apiTokenFor, countRows, paperRow, serveCommunity, signedUp, storedPaper, TEST_PASSWORD } from './fixtures.js';

describe.each(testDatabases())('moderation on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('lets moderators hide and unhide papers, logging each action with its reason', async () => {
    const paper = await storedPaper(ctx.db, { title: 'Spam spam spam' });
    const [member, moderator] = [
      await signedUp(ctx.db, ctx.server.url),
      await signedUp(ctx.db, ctx.server.url, 'moderator'),
    ];
    const refused = await member.post('/moderation/papers', { paper: paper.id, action: 'hide' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Only moderators can do that.');
    expect((await paperRow(ctx.db, paper.id)).hidden).toBe(0);

    expect(
      (await moderator.post('/moderation/papers', { paper: paper.id, action: 'hide', reason: 'spam <b>ring</b>' }))
        .status,
    ).toBe(303);
    expect((await paperRow(ctx.db, paper.id)).hidden).toBe(1);
    expect((await new WebClient(ctx.server.url).page('/papers/trending')).html).not.toContain('Spam spam spam');
    const voter = await signedUp(ctx.db, ctx.server.url);
    expect((await voter.post('/vote', { paper: paper.id, direction: 'up' })).status).toBe(404);
    const twice = await moderator.post('/moderation/papers', { paper: paper.id, action: 'hide' });
    expect(twice.status).toBe(409);

    const log = await new WebClient(ctx.server.url).page('/moderation');
    expect(log.html).toContain(
      `<td><a class="member" href="/users/${moderator.username}">${moderator.username}</a></td><td>hid paper</td><td><a href="/papers/${paper.id}">${paper.id}</a></td><td>spam &lt;b&gt;ring&lt;/b&gt;</td>`,
    );
    expect(log.html).not.toContain('Hide paper');
    expect((await moderator.page('/moderation')).html).toContain('Hide paper');

    expect((await moderator.post('/moderation/papers', { paper: paper.id, action: 'unhide' })).status).toBe(303);
    expect((await paperRow(ctx.db, paper.id)).hidden).toBe(0);
    expect((await moderator.page('/moderation')).html).toContain('restored paper');
  });

  it('lets moderators hide a comment from members, which also drops it from the count', async () => {
    const paper = await storedPaper(ctx.db);
    const [author, moderator] = [
      await signedUp(ctx.db, ctx.server.url),
      await signedUp(ctx.db, ctx.server.url, 'moderator'),
    ];
    const posted = await author.json(
      'POST',
      '/api/comments',
      { paperId: paper.id, body: 'buy cheap pills' },
      { 'x-csrf-token': author.csrfToken },
    );
    const id = posted.body.id as number;
    expect((await author.post(`/moderation/comments/${id}`, { action: 'hide' })).status).toBe(403);
    const hide = await moderator.post(`/moderation/comments/${id}`, { action: 'hide', reason: 'spam' });
    expect(hide.status).toBe(303);
    expect(hide.headers.get('location')).toBe(`/papers/${paper.id}#comment-${id}`);
    const asMember = (await author.json('GET', `/api/comments?paper=${paper.id}`)).body;
    expect(asMember.comments[0]).toMatchObject({ hidden: true, body: null, html: null });
    expect(asMember.numComments).toBe(0);
    const asModerator = (await moderator.json('GET', `/api/comments?paper=${paper.id}`)).body;
    expect(asModerator.comments[0].body).toBe('buy cheap pills');
    const reply = await author.json(
      'POST',
      '/api/comments',
      { paperId: paper.id, parentId: id, body: 'me too' },
      { 'x-csrf-token': author.csrfToken },
    );
    expect(reply.status).toBe(409);
    expect(reply.body.error).toBe('Moderators hid that comment, so you cannot reply to it.');
    expect((await moderator.post(`/moderation/comments/${id}`, { action: 'unhide' })).status).toBe(303);
    expect((await paperRow(ctx.db, paper.id)).num_comments).toBe(1);
  });

  it('bans a member: their sessions and tokens stop working and they cannot log in; only admins ban moderators', async () => {
    const [troll, moderator, otherModerator, admin] = [
      await signedUp(ctx.db, ctx.server.url),
      await signedUp(ctx.db, ctx.server.url, 'moderator'),
      await signedUp(ctx.db, ctx.server.url, 'moderator'),
      await signedUp(ctx.db, ctx.server.url, 'admin'),
    ];
    const token = await apiTokenFor(troll, 'bot');
    // Both credentials were just verified (and are remembered for a few seconds): the ban must still end them at once.
    expect(
      (await new WebClient(ctx.server.url, { authorization: `Bearer ${token}` }).json('GET', '/api/me')).status,
    ).toBe(200);
    expect((await troll.page('/account')).status).toBe(200);
    expect(
      (await moderator.post('/moderation/users', { username: troll.username, action: 'ban', reason: 'vote ring' }))
        .status,
    ).toBe(303);
    expect((await troll.page('/account')).status).toBe(303);
    expect(
      (await new WebClient(ctx.server.url, { authorization: `Bearer ${token}` }).json('GET', '/api/me')).status,
    ).toBe(401);
    const login = new WebClient(ctx.server.url);
    await login.page('/login');
    const refused = await login.post('/login', { email: troll.email, password: TEST_PASSWORD });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('This account is banned.');

    const self = await moderator.post('/moderation/users', { username: moderator.username, action: 'ban' });
    expect(await self.text()).toContain('You cannot ban yourself.');
    const peer = await moderator.post('/moderation/users', { username: otherModerator.username, action: 'ban' });
    expect(peer.status).toBe(403);
    expect(await peer.text()).toContain('Only an admin can ban a moderator');
    const nobody = await moderator.post('/moderation/users', { username: 'no-such-user', action: 'ban' });
    expect(nobody.status).toBe(404);
    expect(
      (await moderator.post('/moderation/users', { username: troll.username, action: 'role', role: 'moderator' }))
        .status,
    ).toBe(403);
    expect((await admin.post('/moderation/users', { username: troll.username, action: 'unban' })).status).toBe(303);
    expect((await otherModerator.page('/moderation')).html).toContain('Hide paper');
    expect(
      (await admin.post('/moderation/users', { username: otherModerator.username, action: 'role', role: 'member' }))
        .status,
    ).toBe(303);
    expect((await otherModerator.page('/moderation')).html).not.toContain('Hide paper');
    const log = (await admin.page('/moderation')).html;
    expect(log).toContain('banned');
    expect(log).toContain('unbanned');
    expect(log).toContain(`changed the role of</td><td>${otherModerator.username}</td><td>member</td>`);
  });

  it("stops counting a banned member's votes (counts, trending, the API) and counts them again on unban", async () => {
    const [rising, steady] = [
      await storedPaper(ctx.db, { title: 'Rising by a vote ring' }),
      await storedPaper(ctx.db, { title: 'Steady' }),
    ];
    const [troll, honest, moderator] = [
      await signedUp(ctx.db, ctx.server.url),
      await signedUp(ctx.db, ctx.server.url),
      await signedUp(ctx.db, ctx.server.url, 'moderator'),
    ];
    for (const paper of [rising, steady])
      expect((await troll.post('/vote', { paper: paper.id, direction: 'up' })).status).toBe(303);
    expect((await honest.post('/vote', { paper: rising.id, direction: 'up' })).status).toBe(303);
    const upvotes = async () => {
      const api = new WebClient(ctx.server.url);
      return Promise.all(
        [rising, steady].map(async (p) => (await api.json('GET', `/api/papers/${p.id}`)).body.upvotes),
      );
    };
    expect(await upvotes()).toEqual([2, 1]);
    await recomputeTrendingScores(ctx.db); // settles papers of the other tests, imported without a score
    const scoresWithTroll = [
      (await paperRow(ctx.db, rising.id)).trending_score,
      (await paperRow(ctx.db, steady.id)).trending_score,
    ];

    expect(
      (await moderator.post('/moderation/users', { username: troll.username, action: 'ban', reason: 'vote ring' }))
        .status,
    ).toBe(303);
    expect(await upvotes()).toEqual([1, 0]);
    expect((await paperRow(ctx.db, rising.id)).trending_score).toBeLessThan(scoresWithTroll[0]!);
    expect((await paperRow(ctx.db, steady.id)).trending_score).toBeLessThan(scoresWithTroll[1]!);
    // The rows stay (an unban restores them); the stored scores already leave them out.
    expect(await countRows(ctx.db, 'votes')).toBeGreaterThanOrEqual(3);
    expect(await papersWithDriftedCounts(ctx.db)).toEqual([]);
    expect((await recomputeTrendingScores(ctx.db)).changed).toBe(0);
    const log = (await new WebClient(ctx.server.url).page('/moderation')).html;
    expect(log).toContain(
      `stopped counting the votes of</td><td>${troll.username}</td><td>votes on 2 papers recounted: ${[rising.id, steady.id].sort().join(', ')}</td>`,
    );

    expect((await moderator.post('/moderation/users', { username: troll.username, action: 'unban' })).status).toBe(303);
    expect(await upvotes()).toEqual([2, 1]);
    expect((await paperRow(ctx.db, rising.id)).trending_score).toBeCloseTo(scoresWithTroll[0]!, 9);
    expect((await recomputeTrendingScores(ctx.db)).changed).toBe(0);
    expect((await new WebClient(ctx.server.url).page('/moderation')).html).toContain(
      `counted again the votes of</td><td>${troll.username}</td>`,
    );
  });

  it('keeps the moderation log append-only in the database itself', async () => {
    const moderator = await signedUp(ctx.db, ctx.server.url, 'moderator');
    const paper = await storedPaper(ctx.db);
    await moderator.post('/moderation/papers', { paper: paper.id, action: 'hide' });
    const entries = await countRows(ctx.db, 'moderation_log');
    await expect(sql`UPDATE moderation_log SET reason = 'rewritten'`.execute(ctx.db.kysely)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM moderation_log`.execute(ctx.db.kysely)).rejects.toThrow(/append-only/);
    expect(await countRows(ctx.db, 'moderation_log')).toBe(entries);
  });
});
