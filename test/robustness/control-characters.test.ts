import { describe, expect, it } from 'vitest';
import { enforceRateLimit } from '../../src/community/rate-limit.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient, member } from '../helpers/web-client.js';
import { apiTokenFor, countRows, serveCommunity, signedUp, storedPaper } from '../community/fixtures.js';

/** Issue 11, defect 1: a NUL byte in a form once broke every rate-limited action on PostgreSQL until a restart. */
describe.each(testDatabases())('control characters in text on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('refuses a NUL in the login email with a 400, and logins, sign-ups, votes and comments keep working', async () => {
    const visitor = new WebClient(ctx.server.url);
    await visitor.page('/login');
    const refused = await visitor.post('/login', { email: 'a\u0000b@example.org', password: 'whatever-1' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/email: must not contain control characters/);

    const newcomer = new WebClient(ctx.server.url);
    await newcomer.page('/signup');
    const signup = await newcomer.post('/signup', member('nul'));
    expect(signup.status).toBe(200);
    expect(await signup.text()).toContain('Check your email');
    const ada = await signedUp(ctx.db, ctx.server.url);
    await ada.page('/login');
    expect((await ada.post('/login', { email: ada.email, password: ada.password })).status).toBe(303);
    await ada.page('/');
    const paper = await storedPaper(ctx.db);
    const csrf = { 'x-csrf-token': ada.csrfToken };
    expect((await ada.json('POST', '/vote', { paper: paper.id, direction: 'up' }, csrf)).status).toBe(200);
    expect((await ada.post('/comments', { paper: paper.id, body: 'Still works.' })).status).toBe(303);
  });

  it('refuses control characters in a comment, a token name and a moderation username, storing nothing', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    const moderator = await signedUp(ctx.db, ctx.server.url, 'moderator');
    const before = await countRows(ctx.db, 'comments');
    for (const body of ['before\u0000after', 'bell\u0007', 'escape \u001b[31m red']) {
      const response = await ada.post('/comments', { paper: paper.id, body });
      expect(response.status, body).toBe(400);
      expect(await response.text()).toMatch(/body: must not contain control characters/);
    }
    const csrf = { 'x-csrf-token': ada.csrfToken };
    const viaApi = await ada.json('POST', '/api/comments', { paperId: paper.id, body: 'x\u0000' }, csrf);
    expect(viaApi.status).toBe(400);
    expect(viaApi.body.error).toBe('body: must not contain control characters (found U+0000)');
    expect(await countRows(ctx.db, 'comments')).toBe(before);
    // Line breaks and tabs belong in a comment.
    expect((await ada.post('/comments', { paper: paper.id, body: 'line one\r\n\tline two' })).status).toBe(303);

    expect((await ada.post('/account/tokens', { name: 'laptop\u0000' })).status).toBe(400);
    expect((await ada.post('/account/tokens', { name: 'laptop\nsecond line' })).status).toBe(400);
    expect(await countRows(ctx.db, 'api_tokens')).toBe(0);
    const ban = { username: `${ada.username}\u0000`, action: 'ban', reason: 'spam' };
    const banned = await moderator.post('/moderation/users', ban);
    expect(banned.status).toBe(400);
    expect(await countRows(ctx.db, 'moderation_log')).toBe(0);
  });

  it('refuses lone surrogates and NUL in query strings, path segments and JSON keys', async () => {
    const visitor = new WebClient(ctx.server.url);
    const search = await visitor.json('GET', '/api/papers/search?q=a%00b');
    expect(search.status).toBe(400);
    expect(search.body.error).toBe('q: must not contain control characters (found U+0000)');
    const paper = await visitor.json('GET', '/api/papers/doi:10.1%00');
    expect([paper.status, paper.body.error]).toEqual([400, 'path: must not contain control characters (found U+0000)']);
    const searchPage = await visitor.page('/search?q=attention%00');
    expect(searchPage.status).toBe(400);
    expect(searchPage.html).toContain('q: must not contain control characters (found U+0000)');
    for (const feed of ['/atom.xml?q=%00%1B', '/feed.xml?author=x%0D%0AX-Injected:1']) {
      const response = await visitor.request('GET', feed);
      expect(response.status, feed).toBe(400);
      expect(response.headers.get('x-injected')).toBeNull();
      expect(await response.text()).toMatch(/(q|author): must not contain control characters/);
    }
    const ada = await signedUp(ctx.db, ctx.server.url);
    const loneSurrogate = '{"paperId":"2501.00001","body":"half \\ud800 a pair"}';
    const response = await ada.request('POST', '/api/comments', {
      body: loneSurrogate,
      headers: { 'content-type': 'application/json', 'x-csrf-token': ada.csrfToken, accept: 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('body: must be valid UTF-8 text');
    // 0xFF is never part of UTF-8.
    const invalidBytes = Buffer.concat([Buffer.from('{"paperId":"2501.00001","body":"'), Buffer.from('ff227d', 'hex')]);
    const raw = await fetch(`${ctx.server.url}/api/comments`, {
      method: 'POST',
      body: invalidBytes,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await apiTokenFor(ada)}` },
    });
    expect(raw.status).toBe(400);
    const csrf = { 'x-csrf-token': ada.csrfToken };
    const badKey = await ada.json('POST', '/api/comments', { paperId: '2501.00001', 'bo\u0000dy': 'x' }, csrf);
    expect(badKey.status).toBe(400);
  });

  it('keeps rate limits working when text that skipped the edge (a CLI, a script) reaches them', async () => {
    await enforceRateLimit(ctx.server.ctx, 'login', { account: 'a\u0000b@example.org\ud800', ip: '203.0.113.9' });
    const ada = await signedUp(ctx.db, ctx.server.url);
    await ada.page('/login');
    expect((await ada.post('/login', { email: ada.email, password: ada.password })).status).toBe(303);
  });
});
