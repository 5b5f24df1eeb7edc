import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { requestEmailChange, startSession } from '../../src/community/accounts.js';
import type { Db } from '../../src/db/connection.js';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import { createUser, getUser } from '../../src/store/users.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { member, WebClient } from '../helpers/web-client.js';
import { signedUp, startCommunityServer, TEST_PASSWORD, type Member } from './fixtures.js';

describe.each(testDatabases())('changing the email address on $dialect', ({ create }) => {
  let db: Db;
  let server: TestServer;
  let smtp: SmtpSink;
  beforeAll(async () => {
    db = await create();
    smtp = await startSmtpSink();
    server = await startCommunityServer(db, { SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await server.close();
    await smtp.close();
    await db.close();
  });

  /** Whether an email and password log in through the login form. */
  async function logsIn(email: string, password = TEST_PASSWORD): Promise<boolean> {
    const client = new WebClient(server.url);
    await client.page('/login');
    return (await client.post('/login', { email, password, next: '/' })).status === 303;
  }

  /** The confirmation link in the last mail to `email`. */
  function mailedToken(email: string): string {
    const text = smtp.to(email).at(-1)!.parsed.text ?? '';
    return new URL(/(http:\/\/\S+\/account\/email\/confirm\?token=\S+)/.exec(text)![1]!).searchParams.get('token')!;
  }

  async function asksFor(ada: Member, email: string, password = TEST_PASSWORD): Promise<Response> {
    await ada.page('/account');
    return ada.post('/account/email', { email, password });
  }

  async function confirms(token: string): Promise<{ status: number; text: string }> {
    const visitor = new WebClient(server.url);
    const page = await visitor.page(`/account/email/confirm?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    const response = await visitor.post('/account/email/confirm', { token });
    return { status: response.status, text: await response.text() };
  }

  it('keeps the old address until the link mailed to the new one is followed, and tells the old one', async () => {
    const ada = await signedUp(db, server.url);
    const next = member('moved').email;
    const mailed = smtp.count();
    const asked = await asksFor(ada, next.toUpperCase());
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain(`We mailed a link to ${next};`);
    await smtp.waitForCount(mailed + 2);
    expect(smtp.to(next).at(-1)!.parsed.subject).toBe('Confirm your new dailypapers address');
    const notice = smtp.to(ada.email).at(-1)!.parsed;
    expect(notice.subject).toBe('Your dailypapers address is being changed');
    expect(notice.text).not.toContain(next);

    // Until then nothing changed: the old address logs in, the new one does not.
    expect((await getUser(db, ada.id))!.email).toBe(ada.email);
    expect(await logsIn(ada.email)).toBe(true);
    expect(await logsIn(next)).toBe(false);

    const token = mailedToken(next);
    const done = await confirms(token);
    expect(done.status).toBe(200);
    expect(done.text).toContain(`Your account now uses ${next}.`);
    expect((await ada.page('/account')).html).toContain(`<dd>${next}</dd>`);
    expect(await logsIn(next)).toBe(true);
    expect(await logsIn(ada.email)).toBe(false);

    const again = await confirms(token);
    expect(again.status).toBe(400);
    expect(again.text).toContain('That confirmation link was already used.');
  });

  it('refuses a wrong password, bad and taken addresses without saying whose, and mails nothing', async () => {
    const ada = await signedUp(db, server.url);
    const bob = await signedUp(db, server.url);
    const mailed = smtp.count();
    const cases: [string, string, number, string][] = [
      [member().email, 'not it', 400, 'The current password is not right.'],
      [member().email, '', 400, 'The current password is not right.'],
      [bob.email.toUpperCase(), TEST_PASSWORD, 409, 'That email address cannot be used. Choose another.'],
      [ada.email, TEST_PASSWORD, 400, 'That is already your email address.'],
      ['not an address', TEST_PASSWORD, 400, 'Enter a valid email address.'],
      ['<script>alert(1)</script>@example.org', TEST_PASSWORD, 400, 'Enter a valid email address.'],
      ["x'; DROP TABLE users; --@example.org", TEST_PASSWORD, 400, 'Enter a valid email address.'],
      [`${'a'.repeat(250)}@example.org`, TEST_PASSWORD, 400, 'That email address is too long.'],
      ['', TEST_PASSWORD, 400, 'Enter a valid email address.'],
    ];
    for (const [email, password, status, message] of cases) {
      const response = await asksFor(ada, email, password);
      const text = await response.text();
      expect([email, response.status]).toEqual([email, status]);
      expect(text).toContain(message);
      expect(text).not.toContain(bob.username);
      expect(text).not.toContain('<script>alert');
    }
    // A form without its CSRF token is refused before anything is looked at.
    const forged = await ada.post('/account/email', { email: member().email, password: TEST_PASSWORD, _csrf: '' });
    expect(forged.status).toBe(403);
    expect((await new WebClient(server.url).request('POST', '/account/email')).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.count()).toBe(mailed);
    expect((await getUser(db, ada.id))!.email).toBe(ada.email);
  });

  it('spends only the newest, unexpired link, and not one whose address was taken meanwhile', async () => {
    const ada = await signedUp(db, server.url);
    const config = loadConfig({ BASE_URL: server.url });
    const first = member('first').email;
    const second = member('second').email;
    const member1 = { userId: ada.id, sessionHash: null };
    const old = await requestEmailChange(db, config, member1, { email: first, password: TEST_PASSWORD });
    const newest = await requestEmailChange(db, config, member1, { email: second, password: TEST_PASSWORD });
    const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
    expect(await confirms(tokenOf(old.url))).toMatchObject({ status: 400 });
    for (const token of ['', 'x'.repeat(5000), '<b>forged</b>']) {
      const refused = await confirms(token);
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('That confirmation link is not valid.');
    }

    // Someone else signs up with the address before the link is followed.
    await createUser(db, { email: second, username: member('taker').username, passwordHash: null });
    const taken = await confirms(tokenOf(newest.url));
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('That email address cannot be used.');
    expect((await getUser(db, ada.id))!.email).toBe(ada.email);

    const hoursAgo = new Date(Date.now() - 3 * 3_600_000);
    const stale = await requestEmailChange(db, config, member1, { email: first, password: TEST_PASSWORD }, hoursAgo);
    const expired = await confirms(tokenOf(stale.url));
    expect(expired.status).toBe(400);
    expect(expired.text).toContain('That confirmation link has expired.');
    expect((await getUser(db, ada.id))!.email).toBe(ada.email);
  });

  it('lets an account without a password change its address only from a fresh email-link session', async () => {
    const identity = member('nopass');
    const user = await createUser(db, { email: identity.email, username: identity.username, passwordHash: null });
    const config = loadConfig({ BASE_URL: server.url });
    const clientWith = async (startedAt: Date) => {
      const session = await startSession(db, config, user.id, startedAt);
      const client = new WebClient(server.url);
      client.setCookie(SESSION_COOKIE, session.token);
      client.csrfToken = session.csrfToken;
      return client;
    };
    const stale = await clientWith(new Date(Date.now() - 2 * 3_600_000));
    const refused = await stale.post('/account/email', { email: member().email, password: '' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Your account has no password: log in again with an email link');

    const fresh = await clientWith(new Date());
    const next = member('nopass-new').email;
    const mailed = smtp.count();
    expect((await fresh.post('/account/email', { email: next, password: '' })).status).toBe(200);
    await smtp.waitForCount(mailed + 2);
    expect((await confirms(mailedToken(next))).status).toBe(200);
    expect((await getUser(db, user.id))!.email).toBe(next);
  });
});
