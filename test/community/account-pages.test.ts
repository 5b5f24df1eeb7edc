import { describe, expect, it } from 'vitest';
import { startSession } from '../../src/community/accounts.js';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import { upsertPapers } from '../../src/store/papers.js';
import { paperRecord } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { postComment, serveCommunity, signedUp, storedPaper, TEST_PASSWORD, type Member } from './fixtures.js';

/** Whether a password logs the member in, through the login form. */
async function logsIn(baseUrl: string, member: Member, password: string): Promise<boolean> {
  const client = new WebClient(baseUrl);
  await client.page('/login');
  const response = await client.post('/login', { email: member.email, password, next: '/' });
  return response.status === 303;
}

describe.each(testDatabases())('account pages on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  it('changes the password with the current one, and logs out the member’s other sessions', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const elsewhere = new WebClient(ctx.server.url);
    const other = await startSession(ctx.db, { SESSION_TTL_DAYS: 1 } as Parameters<typeof startSession>[1], ada.id);
    elsewhere.setCookie(SESSION_COOKIE, other.token);
    expect((await elsewhere.page('/account')).status).toBe(200);

    const wrong = await ada.post('/account/password', { current: 'not it', password: 'a brand new password' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('The current password is not right.');
    const short = await ada.post('/account/password', { current: TEST_PASSWORD, password: 'short' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('Passwords need at least 8 characters.');
    expect(await logsIn(ctx.server.url, ada, TEST_PASSWORD)).toBe(true);

    const changed = await ada.post('/account/password', { current: TEST_PASSWORD, password: 'a brand new password' });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('Your password is changed; your other sessions are logged out.');
    expect((await ada.page('/account')).status).toBe(200);
    expect((await elsewhere.request('GET', '/account')).status).toBe(303);
    expect(await logsIn(ctx.server.url, ada, TEST_PASSWORD)).toBe(false);
    expect(await logsIn(ctx.server.url, ada, 'a brand new password')).toBe(true);
  });

  it('shows a public profile with submissions and public collections only, escaped', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const submitted = paperRecord({ title: 'Submitted <script>x</script> work' });
    await upsertPapers(ctx.db, [submitted], {
      featuredOn: new Date().toISOString().slice(0, 10),
      submittedBy: ada.username,
    });
    await ada.post('/collections', { name: 'Shared <b>reading</b>', public: 'true' });
    await ada.post('/collections', { name: 'My secret list' });

    const visitor = new WebClient(ctx.server.url);
    const profile = await visitor.page(`/users/${ada.username}`);
    expect(profile.status).toBe(200);
    expect(profile.html).toContain(`<h1>${ada.username}</h1>`);
    expect(profile.html).toContain('Submitted &lt;script&gt;x&lt;/script&gt; work');
    expect(profile.html).toContain('Shared &lt;b&gt;reading&lt;/b&gt;</a>');
    expect(profile.html).not.toContain('My secret list');
    expect(profile.html).not.toContain(ada.email);
    expect((await visitor.page(`/users/${ada.username.toUpperCase()}`)).status).toBe(200);
    expect((await visitor.page('/users/nobody-here')).status).toBe(404);
    expect((await visitor.page(`/users/${encodeURIComponent('<script>')}`)).status).toBe(404);
  });

  it('lists the member’s own votes and comments, and exports all their data as JSON to them alone', async () => {
    const paper = await storedPaper(ctx.db, { title: 'Voted and commented' });
    const ada = await signedUp(ctx.db, ctx.server.url);
    const bob = await signedUp(ctx.db, ctx.server.url);
    await ada.post('/vote', { paper: paper.id, direction: 'up' });
    const commentId = await postComment(ada, paper.id, 'My <em>take</em> on $x$');
    await ada.post('/library/item', { paper: paper.id, note: 'private note' });

    const activity = await ada.page('/account/activity');
    expect(activity.html).toContain('Voted and commented</a>');
    expect(activity.html).toContain(`#comment-${commentId}`);
    expect(activity.html).toContain('My &lt;em&gt;take&lt;/em&gt; on $x$');
    expect((await bob.page('/account/activity')).html).not.toContain('Voted and commented');

    const exported = await ada.request('GET', '/account/export.json');
    expect(exported.headers.get('content-disposition')).toBe(`attachment; filename="dailypapers-${ada.username}.json"`);
    const data = await exported.json();
    expect(data.profile).toEqual(expect.objectContaining({ username: ada.username, email: ada.email }));
    expect(data.votes).toEqual([expect.objectContaining({ paperId: paper.id, title: 'Voted and commented' })]);
    expect(data.comments).toEqual([
      expect.objectContaining({ id: commentId, paperId: paper.id, body: 'My <em>take</em> on $x$' }),
    ]);
    expect(data.library).toEqual([expect.objectContaining({ paperId: paper.id, note: 'private note' })]);
    expect(data.follows).toEqual([]);
    const bobs = await (await bob.request('GET', '/account/export.json')).json();
    expect(bobs).toMatchObject({ votes: [], comments: [], library: [] });
    expect((await new WebClient(ctx.server.url).request('GET', '/account/export.json')).status).toBe(401);
  });
});
