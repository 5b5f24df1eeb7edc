import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { insertCodeLinkProposal, listPendingCodeLinks } from '../../src/store/code-link-proposals.js';
import { createSubscriber, getSubscriberByEmail } from '../../src/store/subscriptions.js';
import { loadConfig } from '../../src/config/index.js';
import { startSession } from '../../src/community/accounts.js';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import { createUser, findCredentialsByEmail, findUserByEmail, getUser } from '../../src/store/users.js';
import { applyVoteChanges, papersWithDriftedCounts } from '../../src/store/votes.js';
import { testDatabases } from '../helpers/db.js';
import { member, WebClient } from '../helpers/web-client.js';
import {
  apiTokenFor,
  paperRow,
  postComment,
  serveCommunity,
  signedUp,
  storedPaper,
  TEST_PASSWORD,
  type Member,
} from './fixtures.js';

/** Rows that still name the account, in every table with a `user_id` column (found by introspection, so a new table is covered too). */
async function rowsNaming(db: Db, userId: string): Promise<Record<string, number>> {
  const tables = await db.kysely.introspection.getTables();
  const counts: Record<string, number> = {};
  for (const table of tables.filter((t) => t.columns.some((c) => c.name === 'user_id'))) {
    const row = await db.kysely
      .selectFrom(table.name as 'votes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    if (Number(row.n) > 0) counts[table.name] = Number(row.n);
  }
  return counts;
}

async function logsIn(baseUrl: string, email: string, password = TEST_PASSWORD): Promise<number> {
  const client = new WebClient(baseUrl);
  await client.page('/login');
  return (await client.post('/login', { email, password, next: '/' })).status;
}

describe.each(testDatabases())('deleting an account on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  /** A member with a vote, a comment, a submission, a library, a public collection, a follow, a token and a digest. */
  async function busyMember(): Promise<{ member: Member; token: string; voted: string; submitted: string }> {
    const member = await signedUp(ctx.db, ctx.server.url);
    const token = await apiTokenFor(member);
    const script = new WebClient(ctx.server.url, { authorization: `Bearer ${token}` });
    const voted = (await storedPaper(ctx.db)).id;
    const submitted = (await storedPaper(ctx.db, {}, null)).id;
    expect((await script.json('PUT', `/api/votes/${voted}`)).status).toBe(200);
    expect((await script.json('POST', '/api/papers/submit', { id: submitted })).status).toBe(201);
    const collection = await script.json('POST', '/api/collections', { name: 'Reading group', public: true });
    expect(collection.status).toBe(201);
    expect(
      (await script.json('PUT', `/api/library/${voted}`, { collection: collection.body.id, note: 'secret note' }))
        .status,
    ).toBe(200);
    expect((await script.json('POST', '/api/follows', { kind: 'category', target: 'cs.CL' })).status).toBe(200);
    const choice = { frequency: 'daily' as const, includeTop: true, topics: [], forYou: false };
    await insertCodeLinkProposal(ctx.db, {
      paperId: voted,
      url: 'https://github.com/ada/method',
      proposedBy: member.id,
    });
    await createSubscriber(ctx.db, { id: `s_${member.id}`, email: member.email, ...choice }, new Date());
    return { member, token, voted, submitted };
  }

  it('withdraws the votes, keeps comments and submissions as "deleted member", and frees the name and address', async () => {
    const { member: ada, token, voted, submitted } = await busyMember();
    const bob = await signedUp(ctx.db, ctx.server.url);
    await bob.page('/');
    expect((await bob.json('PUT', `/api/votes/${voted}`, undefined, { 'x-csrf-token': bob.csrfToken })).status).toBe(
      200,
    );
    const adaComment = await postComment(ada, voted, 'Ada’s point about the **method**');
    const bobReply = await postComment(bob, voted, 'Bob agrees', adaComment);
    const collectionPath = /href="(\/collections\/[^"]+)"/.exec((await ada.page(`/users/${ada.username}`)).html)![1]!;
    expect((await paperRow(ctx.db, voted)).upvotes).toBe(2);

    const page = await ada.page('/account');
    expect(page.html).toContain('Delete your account');
    const response = await ada.post('/account/delete', {
      password: TEST_PASSWORD,
      confirm: ada.username.toUpperCase(),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(
      `The account ${ada.username} is deleted and you are logged out everywhere.`,
    );
    expect(ada.cookie('dp_session')).toBeUndefined();

    // Gone: the profile, the public collection, every way in.
    expect((await new WebClient(ctx.server.url).page(`/users/${ada.username}`)).status).toBe(404);
    expect((await new WebClient(ctx.server.url).page(collectionPath)).status).toBe(404);
    expect(await logsIn(ctx.server.url, ada.email)).toBe(401);
    const script = new WebClient(ctx.server.url, { authorization: `Bearer ${token}` });
    expect((await script.json('GET', '/api/me')).status).toBe(401);
    expect(await rowsNaming(ctx.db, ada.id)).toEqual({ comments: 1 });
    expect(await getSubscriberByEmail(ctx.db, ada.email)).toBeNull();
    expect(await listPendingCodeLinks(ctx.db)).toEqual([]);

    // The votes are withdrawn and the counters re-derived from the rows that are left.
    expect((await paperRow(ctx.db, voted)).upvotes).toBe(1);
    expect(await papersWithDriftedCounts(ctx.db)).toEqual([]);

    // The thread reads on, the comment credited to "deleted member"; the submission stays featured.
    const paperPage = (await new WebClient(ctx.server.url).page(`/papers/${voted}`)).html;
    expect(paperPage).toContain('Ada’s point about the <strong>method</strong>');
    expect(paperPage).toContain('<span class="deleted-member">deleted member</span>');
    expect(paperPage).not.toContain(ada.username);
    expect(paperPage).toContain(`<a class="member" href="/users/${bob.username}">${bob.username}</a>`);
    expect(paperPage).toContain(`id="comment-${bobReply}"`);
    const submittedRow = await paperRow(ctx.db, submitted);
    expect([submittedRow.submitted_by, submittedRow.featured_on]).toEqual(['deleted member', expect.any(String)]);
    const submittedPage = (await new WebClient(ctx.server.url).page(`/papers/${submitted}`)).html;
    expect(submittedPage).toContain('submitted by <span class="deleted-member">deleted member</span>');
    const api = await new WebClient(ctx.server.url).json('GET', `/api/papers/${submitted}`);
    expect(api.body.submittedOnDailyBy).toBeUndefined();

    // Bob is untouched; Ada's name and address can be used again.
    expect((await bob.page('/account')).status).toBe(200);
    expect((await bob.page(`/users/${bob.username}`)).status).toBe(200);
    expect(await rowsNaming(ctx.db, bob.id)).toMatchObject({ votes: 1, comments: 1, sessions: 1 });
    expect(await findUserByEmail(ctx.db, ada.email)).toBeNull();
    await createUser(ctx.db, { email: ada.email, username: ada.username, passwordHash: null });
    expect((await new WebClient(ctx.server.url).page(`/users/${ada.username}`)).status).toBe(200);
  });

  it('logs out every session of the account at once, however recently it was used', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const other = new WebClient(ctx.server.url);
    await ada.page('/account');
    // The same account in a second browser, its session verified a moment ago.
    other.setCookie('dp_session', ada.cookie('dp_session')!);
    expect((await other.page('/account')).status).toBe(200);
    expect((await ada.post('/account/delete', { password: TEST_PASSWORD, confirm: ada.username })).status).toBe(200);
    const after = await other.page('/account');
    expect(after.status).toBe(303);
    expect(after.response.headers.get('location')).toBe('/login?next=%2Faccount');
  });

  it('refuses a wrong password, a missing or wrong username and a forged form, saying why and deleting nothing', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const bob = await signedUp(ctx.db, ctx.server.url);
    const cases: [Record<string, string>, number, string][] = [
      [{ password: 'not it', confirm: ada.username }, 400, 'The current password is not right.'],
      [{ password: '', confirm: ada.username }, 400, 'The current password is not right.'],
      [{ password: TEST_PASSWORD, confirm: '' }, 400, `To confirm, type your username, ${ada.username}.`],
      [{ password: TEST_PASSWORD }, 400, `To confirm, type your username, ${ada.username}.`],
      [{ password: TEST_PASSWORD, confirm: bob.username }, 400, `To confirm, type your username, ${ada.username}.`],
      [{ password: TEST_PASSWORD, confirm: '<script>alert(1)</script>' }, 400, 'To confirm, type your username'],
      [{ password: TEST_PASSWORD, confirm: 'x'.repeat(100_000) }, 400, 'To confirm, type your username'],
      [
        { password: TEST_PASSWORD, confirm: `${ada.username}\u0000` },
        400,
        'confirm: must not contain control characters',
      ],
    ];
    await ada.page('/account');
    for (const [fields, status, message] of cases) {
      const response = await ada.post('/account/delete', fields);
      const text = await response.text();
      expect([fields, response.status]).toEqual([fields, status]);
      expect(text).toContain(message);
      expect(text).not.toContain('<script>alert');
    }
    const forged = await ada.post('/account/delete', { password: TEST_PASSWORD, confirm: ada.username, _csrf: '' });
    expect(forged.status).toBe(403);
    const visitor = await new WebClient(ctx.server.url).request('POST', '/account/delete');
    expect(visitor.status).toBe(403);
    expect((await ada.page('/account')).status).toBe(200);
    expect(await logsIn(ctx.server.url, ada.email)).toBe(303);
  });

  it('lets an account without a password delete itself only from a fresh email-link session', async () => {
    const identity = member('nopass');
    const user = await createUser(ctx.db, { email: identity.email, username: identity.username, passwordHash: null });
    const config = loadConfig({ BASE_URL: ctx.server.url });
    const clientWith = async (startedAt: Date) => {
      const session = await startSession(ctx.db, config, user.id, startedAt);
      const client = new WebClient(ctx.server.url);
      client.setCookie(SESSION_COOKIE, session.token);
      client.csrfToken = session.csrfToken;
      return client;
    };
    const stale = await clientWith(new Date(Date.now() - 2 * 3_600_000));
    const refused = await stale.post('/account/delete', { password: '', confirm: identity.username });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(
      'Your account has no password: log in again with an email link, then delete',
    );
    const fresh = await clientWith(new Date());
    expect((await fresh.post('/account/delete', { password: '', confirm: identity.username })).status).toBe(200);
    expect(await getUser(ctx.db, user.id)).toBeNull();
  });

  it('reads accounts without their password hash, except where a password is checked', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    for (const user of [await getUser(ctx.db, ada.id), await findUserByEmail(ctx.db, ada.email)])
      expect(Object.keys(user!)).not.toContain('passwordHash');
    expect((await findCredentialsByEmail(ctx.db, ada.email))!.passwordHash).toMatch(/^scrypt\$/);
  });

  it('drops a vote that reaches the database after its account was deleted', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const bob = await signedUp(ctx.db, ctx.server.url);
    const paper = await storedPaper(ctx.db);
    const adaScript = new WebClient(ctx.server.url, { authorization: `Bearer ${await apiTokenFor(ada)}` });
    expect((await adaScript.json('DELETE', '/api/me', { password: TEST_PASSWORD, confirm: ada.username })).status).toBe(
      204,
    );
    // Ada's vote was still waiting in a batch when the deletion went through; Bob's, in the same batch, counts.
    const at = new Date();
    await applyVoteChanges(ctx.db, paper.id, [
      { userId: ada.id, wanted: true, at },
      { userId: bob.id, wanted: true, at },
    ]);
    const voters = await ctx.db.kysely.selectFrom('votes').select('user_id').where('paper_id', '=', paper.id).execute();
    expect(voters.map((v) => v.user_id)).toEqual([bob.id]);
    expect((await paperRow(ctx.db, paper.id)).upvotes).toBe(1);
    expect(await papersWithDriftedCounts(ctx.db)).toEqual([]);
  });

  it("makes whoever keeps guessing the current password wait, without slowing the owner's logins", async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const script = new WebClient(ctx.server.url, { authorization: `Bearer ${await apiTokenFor(ada)}` });
    for (let guess = 0; guess < 5; guess++) {
      const wrong = await script.json('DELETE', '/api/me', { password: `guess ${guess}`, confirm: ada.username });
      expect(wrong.body.error).toBe('The current password is not right.');
    }
    const waiting = await script.json('DELETE', '/api/me', { password: TEST_PASSWORD, confirm: ada.username });
    expect(waiting.status).toBe(429);
    expect(waiting.body.error).toMatch(/^Too many wrong passwords\. Try again in 15 seconds\.$/);
    expect(waiting.response.headers.get('retry-after')).toBe('15');
    // The same count holds the password form of /account, and the account is still there.
    const form = await ada.post('/account/password', { current: TEST_PASSWORD, next: 'another long password' });
    expect(form.status).toBe(429);
    expect((await script.json('GET', '/api/me')).status).toBe(200);
    expect(await logsIn(ctx.server.url, ada.email)).toBe(303);
  });

  it('deletes through DELETE /api/me with a Bearer token, after the same checks', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    const token = await apiTokenFor(ada);
    const script = new WebClient(ctx.server.url, { authorization: `Bearer ${token}` });
    const wrong = await script.json('DELETE', '/api/me', { password: 'nope', confirm: ada.username });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'The current password is not right.' } });
    const unconfirmed = await script.json('DELETE', '/api/me', { password: TEST_PASSWORD });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error).toContain('confirm');
    const malformed = await script.json('DELETE', '/api/me', { password: 5, confirm: ['x'] });
    expect(malformed.status).toBe(400);
    expect((await new WebClient(ctx.server.url).json('DELETE', '/api/me', {})).status).toBe(401);
    expect((await script.json('GET', '/api/me')).status).toBe(200);

    const done = await script.json('DELETE', '/api/me', { password: TEST_PASSWORD, confirm: ada.username });
    expect(done.status).toBe(204);
    expect((await script.json('GET', '/api/me')).status).toBe(401);
    expect((await ada.page('/account')).status).toBe(303);
  });
});
