import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { freshPostgres } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { apiTokenFor, looseLimits, signedUp, storedPaper } from '../community/fixtures.js';

const adminUrl = process.env.TEST_DATABASE_URL;
/** Far longer than any wait below: a change that shows came through a notification, not an expiry. */
const PAGE_CACHE_MS = '60000';

/** Polls until `check` holds, for up to `withinMs` (under the credential cache's 5 s and the page cache's 60 s). */
async function within<T>(withinMs: number, probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Two web processes' app contexts on one PostgreSQL database, each with its own pools and caches. */
describe('two web processes on one PostgreSQL database', () => {
  let db: Db;
  let a: TestServer;
  let b: TestServer;
  let paperId: string;

  beforeAll(async () => {
    if (!adminUrl)
      throw new Error('The cluster suite needs a PostgreSQL server: set TEST_DATABASE_URL (.ci/run does).');
    db = await freshPostgres(adminUrl);
    paperId = (await storedPaper(db)).id;
    const env = { ...looseLimits, PAGE_CACHE_MS };
    [a, b] = [await startTestServer(db, env), await startTestServer(db, env)];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.close();
  });

  const upvotesOn = async (server: TestServer) => {
    const page = await (await fetch(`${server.url}/api/papers/${paperId}`)).json();
    return page.upvotes as number;
  };

  it('a vote through one shows in the other’s shared answers at once', async () => {
    expect(await upvotesOn(b)).toBe(0);
    const ada = await signedUp(db, a.url);
    const vote = await ada.json('PUT', `/api/votes/${paperId}`, undefined, { 'x-csrf-token': ada.csrfToken });
    expect(vote.body.upvotes).toBe(1);
    expect(
      await within(
        1000,
        () => upvotesOn(b),
        (n) => n === 1,
      ),
    ).toBe(1);
  });

  it('a token revoked or a session ended through one is refused by the other at once', async () => {
    const bob = await signedUp(db, a.url);
    const token = await apiTokenFor(bob);
    const me = (server: TestServer, headers: Record<string, string>) =>
      fetch(`${server.url}/api/me`, { headers }).then((r) => r.status);
    const bearer = { authorization: `Bearer ${token}` };
    // Both processes have verified (and cached) the token and the session.
    expect(await me(b, bearer)).toBe(200);
    const cookie = { cookie: `dp_session=${bob.cookie('dp_session')}` };
    expect((await fetch(`${b.url}/account`, { headers: cookie })).status).toBe(200);

    const { html: account } = await bob.page('/account');
    const tokenId = /action="\/account\/tokens\/(\d+)\/revoke"/.exec(account)![1];
    expect((await bob.post(`/account/tokens/${tokenId}/revoke`, {})).status).toBe(303);
    expect(
      await within(
        1000,
        () => me(b, bearer),
        (status) => status === 401,
      ),
    ).toBe(401);

    expect((await bob.post('/logout', {})).status).toBe(303);
    const account2 = () => fetch(`${b.url}/account`, { headers: cookie, redirect: 'manual' }).then((r) => r.status);
    expect(await within(1000, account2, (status) => status !== 200)).not.toBe(200);
  });

  it('an account deleted through one is logged out of the other at once, its vote gone from its answers', async () => {
    const cy = await signedUp(db, a.url);
    const token = await apiTokenFor(cy);
    const before = await upvotesOn(b);
    expect((await cy.json('PUT', `/api/votes/${paperId}`, undefined, { 'x-csrf-token': cy.csrfToken })).status).toBe(
      200,
    );
    expect(
      await within(
        1000,
        () => upvotesOn(b),
        (n) => n === before + 1,
      ),
    ).toBe(before + 1);
    const bearer = { authorization: `Bearer ${token}` };
    const cookie = { cookie: `dp_session=${cy.cookie('dp_session')}` };
    expect((await fetch(`${b.url}/api/me`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${b.url}/account`, { headers: cookie })).status).toBe(200);

    await cy.page('/account');
    expect((await cy.post('/account/delete', { password: cy.password, confirm: cy.username })).status).toBe(200);
    const me = () => fetch(`${b.url}/api/me`, { headers: bearer }).then((r) => r.status);
    expect(await within(1000, me, (status) => status === 401)).toBe(401);
    const account = () => fetch(`${b.url}/account`, { headers: cookie, redirect: 'manual' }).then((r) => r.status);
    expect(await within(1000, account, (status) => status !== 200)).not.toBe(200);
    expect(
      await within(
        1000,
        () => upvotesOn(b),
        (n) => n === before,
      ),
    ).toBe(before);
  });

  it('a process whose listening session was cut reconnects and forgets what it may have missed', async () => {
    expect(await upvotesOn(b)).toBe(1);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%'",
        [new URL(db.location).pathname.slice(1)],
      );
      expect(rows.length).toBeGreaterThanOrEqual(2);
    } finally {
      await admin.end();
    }
    // Written while nobody listens: no notification reaches b, but b drops its answers when it is back.
    const cy = await signedUp(db, a.url);
    await cy.json('PUT', `/api/votes/${paperId}`, undefined, { 'x-csrf-token': cy.csrfToken });
    expect(
      await within(
        5000,
        () => upvotesOn(b),
        (n) => n === 2,
      ),
    ).toBe(2);
  });
});
