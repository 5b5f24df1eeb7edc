import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { LOGIN_REFUSAL } from '../../src/community/accounts.js';
import { throttleKeys } from '../../src/community/login-throttle.js';
import { recordLoginFailure } from '../../src/store/login-failures.js';
import { createUser } from '../../src/store/users.js';
import { buildApp } from '../../src/app/server.js';
import { testDatabases } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { WebClient, member } from '../helpers/web-client.js';
import { countRows, looseLimits, signedUp, startCommunityServer } from './fixtures.js';
import { appContextAround } from '../../src/app/context.js';

describe.each(testDatabases())('accounts on $dialect', ({ create }) => {
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

  /** The login link in the last mail to `email`, as a path on this server. */
  const mailedLink = async (email: string, count: number) => {
    await smtp.waitForCount(count);
    const mail = smtp.to(email).at(-1)!;
    const url = new URL(/(http:\/\/\S+\/login\/link\?token=\S+)/.exec(mail.parsed.text ?? '')![1]!);
    return {
      subject: mail.parsed.subject,
      text: mail.parsed.text!,
      path: url.pathname + url.search,
      token: url.searchParams.get('token')!,
    };
  };

  it('signs up by a mailed link, which logs in with a session cookie that is HttpOnly and SameSite=Lax', async () => {
    const client = new WebClient(server.url);
    const identity = member('ada');
    await client.page('/signup');
    const mailed = smtp.count();
    const response = await client.post('/signup', identity);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`We sent a link to ${identity.email}.`);
    expect(client.cookie('dp_session')).toBeUndefined();
    // Until the link is followed, the password does not log in: anyone can sign up with any address.
    await client.page('/login');
    expect((await client.post('/login', { email: identity.email, password: identity.password })).status).toBe(401);

    const link = await mailedLink(identity.email, mailed + 1);
    expect(link.subject).toBe('Finish signing up to dailypapers');
    expect(link.text).not.toContain(identity.username);
    await client.page(link.path);
    const login = await client.post('/login/link', { token: link.token });
    expect(login.status).toBe(303);
    // The link that finishes a sign-up lands on a welcome; later links log in to the front page.
    expect(login.headers.get('location')).toBe('/welcome');
    expect((await client.page('/welcome')).html).toContain(`Welcome to dailypapers, ${identity.username}!`);
    expect((await client.page('/subscribe')).html).toContain(
      `name="email" required maxlength="254" autocomplete="email" value="${identity.email}"`,
    );
    expect((await new WebClient(server.url).request('GET', '/welcome')).headers.get('location')).toBe('/');
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith('dp_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const account = await client.page('/account');
    expect(account.status).toBe(200);
    expect(account.html).toContain(identity.email);
    expect(account.html).toContain(`<a href="/account">${identity.username}</a>`);
    // Confirmed, the password works too.
    const again = new WebClient(server.url);
    await again.page('/login');
    expect((await again.post('/login', { email: identity.email, password: identity.password })).status).toBe(303);
  });

  it('answers a sign-up with a taken email exactly like a new one, and mails the owner a login link instead', async () => {
    const owner = await signedUp(db, server.url);
    const client = new WebClient(server.url);
    await client.page('/signup');
    const pageFor = async (fields: Record<string, string>) => {
      const response = await client.post('/signup', fields);
      const html = await response.text();
      return { status: response.status, notice: /<section class="narrow">[\s\S]*<\/section>/.exec(html)![0] };
    };
    const users = await countRows(db, 'users');
    const mailed = smtp.count();
    const taken = await pageFor({ ...member(), email: owner.email.toUpperCase() });
    const fresh = await pageFor({ ...member(), email: owner.email.toUpperCase().replace('@', '-not@') });
    expect(taken.status).toBe(200);
    expect(taken.notice.replace(owner.email.toUpperCase(), 'ADDRESS')).toBe(
      fresh.notice.replace(owner.email.toUpperCase().replace('@', '-not@'), 'ADDRESS'),
    );
    expect(await countRows(db, 'users')).toBe(users + 1);

    const link = await mailedLink(owner.email, mailed + 2);
    expect(link.text).toContain('which already has an account');
    const stranger = new WebClient(server.url);
    await stranger.page(link.path);
    expect((await stranger.post('/login/link', { token: link.token })).status).toBe(303);
    expect((await stranger.page('/account')).html).toContain(owner.username);
  });

  it('refuses a taken username alike whether the email has an account or not', async () => {
    const [owner, other] = [await signedUp(db, server.url), await signedUp(db, server.url)];
    const client = new WebClient(server.url);
    await client.page('/signup');
    const withOwnersEmail = await client.post('/signup', { ...member(), username: other.username, email: owner.email });
    const withNewEmail = await client.post('/signup', { ...member(), username: other.username });
    expect([withOwnersEmail.status, withNewEmail.status]).toEqual([409, 409]);
  });

  it('refuses a sign-up without the CSRF token and creates nothing', async () => {
    const before = await countRows(db, 'users');
    const client = new WebClient(server.url);
    await client.page('/signup');
    const response = await client.post('/signup', { ...member(), _csrf: '' });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('CSRF');
    expect(await countRows(db, 'users')).toBe(before);
  });

  it('explains each invalid sign-up and keeps what was typed', async () => {
    const taken = await signedUp(db, server.url);
    const client = new WebClient(server.url);
    await client.page('/signup');
    const cases: [Record<string, string>, number, string][] = [
      [{ ...member(), email: 'not-an-email' }, 400, 'Enter a valid email address.'],
      [{ ...member(), username: 'a b<script>' }, 400, 'Usernames are 2–32 letters'],
      [{ ...member(), password: 'short' }, 400, 'Passwords need at least 8 characters.'],
      [{ ...member(), username: taken.username }, 409, 'That username is taken.'],
    ];
    const before = await countRows(db, 'users');
    for (const [fields, status, message] of cases) {
      const response = await client.post('/signup', fields);
      expect(response.status).toBe(status);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).not.toContain('<script>');
    }
    expect(await countRows(db, 'users')).toBe(before);
  });

  it('answers an unknown email and a wrong password alike, and logs in with the right ones', async () => {
    const ada = await signedUp(db, server.url);
    const linkOnly = await createUser(db, { email: 'link-only@example.org', username: 'linkonly', passwordHash: null });
    const client = new WebClient(server.url);
    await client.page('/login');
    const refusal = async (email: string, password: string) => {
      const response = await client.post('/login', { email, password });
      return {
        status: response.status,
        message: /<p class="error"[^>]*>([^<]*)<\/p>/.exec(await response.text())?.[1],
      };
    };
    const wrong = await refusal(ada.email, 'wrong password');
    expect(wrong).toEqual({ status: 401, message: LOGIN_REFUSAL });
    expect(await refusal('nobody@example.org', 'whatever1')).toEqual(wrong);
    expect(await refusal(linkOnly.email, 'whatever1')).toEqual(wrong);
    expect(client.cookie('dp_session')).toBeUndefined();
    const right = await client.post('/login', { email: ada.email, password: ada.password, next: '/submit' });
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/submit');
    expect((await client.page('/account')).html).toContain(ada.username);
  });

  it('never redirects off-site after login', async () => {
    const ada = await signedUp(db, server.url);
    const client = new WebClient(server.url);
    await client.page('/login');
    const response = await client.post('/login', { email: ada.email, password: ada.password, next: '//evil.example/' });
    expect(response.headers.get('location')).toBe('/');
  });

  it('logs out with the CSRF token only', async () => {
    const ada = await signedUp(db, server.url);
    const forged = await ada.post('/logout', { _csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect((await ada.page('/account')).status).toBe(200);
    const sessions = await countRows(db, 'sessions');
    const response = await ada.post('/logout', {});
    expect(response.status).toBe(303);
    expect(await countRows(db, 'sessions')).toBe(sessions - 1);
    const after = await ada.page('/account');
    expect(after.status).toBe(303);
    expect(after.response.headers.get('location')).toBe('/login?next=%2Faccount');
  });

  it('logs in once with an emailed link; a reused or expired link is refused', async () => {
    const ada = await signedUp(db, server.url);
    const client = new WebClient(server.url);
    await client.page('/login');
    const mailed = smtp.received.length;
    const request = await client.post('/login/email', { email: ada.email });
    expect(request.status).toBe(200);
    expect(await request.text()).toContain(`If an account uses ${ada.email}, we sent it a login link.`);
    await smtp.waitForCount(mailed + 1);
    const mail = smtp.to(ada.email).at(-1)!;
    expect(mail.parsed.subject).toBe('Your dailypapers login link');
    const link = /(http:\/\/\S+\/login\/link\?token=\S+)/.exec(mail.parsed.text ?? '')![1]!;
    const path = new URL(link).pathname + new URL(link).search;

    const confirm = await client.page(path);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain(`Log in as ${ada.username}?`);
    const token = new URL(link).searchParams.get('token')!;
    const login = await client.post('/login/link', { token });
    expect(login.status).toBe(303);
    expect((await client.page('/account')).html).toContain(ada.email);

    const stranger = new WebClient(server.url);
    await stranger.page('/login');
    const reused = await stranger.post('/login/link', { token });
    expect(reused.status).toBe(400);
    expect(await reused.text()).toContain('That login link was already used.');
    expect(stranger.cookie('dp_session')).toBeUndefined();
    expect((await stranger.page(path)).html).toContain('That login link was already used.');

    await client.post('/login/email', { email: ada.email });
    await smtp.waitForCount(mailed + 2);
    const second = new URL(/(http:\/\/\S+)/.exec(smtp.to(ada.email).at(-1)!.parsed.text ?? '')![1]!).searchParams.get(
      'token',
    )!;
    await db.kysely
      .updateTable('login_links')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('used_at', 'is', null)
      .execute();
    const expired = await stranger.post('/login/link', { token: second });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('That login link has expired.');
    const bogus = await stranger.post('/login/link', { token: 'made-up' });
    expect(await bogus.text()).toContain('That login link is not valid.');
  });

  it('sends no login link to an unknown address, and answers as for a known one', async () => {
    const client = new WebClient(server.url);
    await client.page('/login');
    const before = await countRows(db, 'login_links');
    const response = await client.post('/login/email', { email: 'ghost@example.org' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('If an account uses ghost@example.org, we sent it a login link.');
    expect(await countRows(db, 'login_links')).toBe(before);
    expect(smtp.to('ghost@example.org')).toEqual([]);
  });

  it('issues API tokens that work as Bearer credentials without CSRF, until revoked', async () => {
    const ada = await signedUp(db, server.url);
    const created = await ada.post('/account/tokens', { name: 'my script' });
    expect(created.status).toBe(201);
    const token = /<code class="new-token">(dp_[\w-]+)<\/code>/.exec(await created.text())![1]!;
    const stored = await db.kysely
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('name', '=', 'my script')
      .execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    const script = new WebClient(server.url, { authorization: `Bearer ${token}` });
    const me = await script.json('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(ada.username);
    const page = await ada.page('/account');
    const id = /action="\/account\/tokens\/(\d+)\/revoke"/.exec(page.html)![1]!;
    expect((await ada.post(`/account/tokens/${id}/revoke`, {})).status).toBe(303);
    const revoked = await script.json('GET', '/api/me');
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('Invalid or revoked API token.');
  });

  it('answers 401 to a request without credentials and to a made-up token', async () => {
    expect((await new WebClient(server.url).json('GET', '/api/me')).body.error).toBe('Log in to see who you are.');
    const bogus = await new WebClient(server.url, { authorization: 'Bearer dp_nope' }).json('GET', '/api/me');
    expect(bogus.status).toBe(401);
  });
});

describe.each(testDatabases())('login and sign-up limits on $dialect', ({ create }) => {
  let db: Db;
  let server: TestServer;
  beforeAll(async () => {
    db = await create();
    server = await startCommunityServer(db, { RATE_LIMIT_LOGIN: '2,4/15m', RATE_LIMIT_SIGNUP: '5,2/1h' });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('limits login attempts per IP with 429 and Retry-After', async () => {
    const client = new WebClient(server.url);
    await client.page('/login');
    for (let i = 0; i < 4; i++)
      expect((await client.post('/login', { email: `target${i}@example.org`, password: 'guess' })).status).toBe(401);
    const limited = await client.post('/login', { email: 'other@example.org', password: 'guess' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    expect(await limited.text()).toContain('Too many login attempts.');
  });

  it('limits sign-ups per IP', async () => {
    const before = await countRows(db, 'users');
    const signUpFromSameAddress = async () => {
      const client = new WebClient(server.url);
      await client.page('/signup');
      return client.post('/signup', member());
    };
    expect((await signUpFromSameAddress()).status).toBe(200);
    expect((await signUpFromSameAddress()).status).toBe(200);
    const limited = await signUpFromSameAddress();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await countRows(db, 'users')).toBe(before + 2);
  });
});

describe.each(testDatabases())('password guessing on $dialect', ({ create }) => {
  let db: Db;
  let server: TestServer;
  beforeAll(async () => {
    db = await create();
    // The default limits, with clients named by X-Forwarded-For so each test can speak from several addresses.
    server = await startTestServer(db, { TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  const attempt = async (from: string, email: string, password: string) => {
    const client = new WebClient(server.url, { 'x-forwarded-for': from });
    await client.page('/login');
    return client.post('/login', { email, password });
  };

  it('slows down a guesser after a few wrong passwords without locking the owner out', async () => {
    const owner = await signedUp(db, server.url);
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt('198.51.100.66', owner.email, `guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    const slowed = await attempt('198.51.100.66', owner.email, owner.password);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(slowed.headers.get('retry-after'))).toBeLessThanOrEqual(15);
    expect(await slowed.text()).toMatch(
      /Too many failed logins. Try again in \d+ seconds?, or log in with an email link./,
    );
    // The owner, elsewhere, logs in at once.
    expect((await attempt('203.0.113.7', owner.email, owner.password)).status).toBe(303);
  });

  it('slows an unknown email down the same way, so the wait tells nothing', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await attempt('198.51.100.67', 'nobody-here@example.org', `guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('slows guessing at one account from many addresses once it passes a looser ceiling', async () => {
    const target = await signedUp(db, server.url);
    for (let i = 0; i < 4; i++)
      expect((await attempt(`192.0.2.${i + 1}`, target.email, `guess-${i}`)).status).toBe(401);
    // 46 more failures from as many other addresses (stored directly: 46 password checks would only slow the suite).
    for (let i = 0; i < 46; i++)
      await recordLoginFailure(db, [throttleKeys(target.email, `192.0.2.${i + 100}`).account], new Date(), new Date(0));
    expect((await attempt('192.0.2.250', target.email, 'guess-again')).status).toBe(429);
    expect((await attempt('192.0.2.251', target.email, target.password)).status).toBe(429);
  });
});

describe.each(testDatabases())('login links without SMTP_URL on $dialect', ({ create }) => {
  let db: Db;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let url: string;
  const lines: string[] = [];
  beforeAll(async () => {
    db = await create();
    const config = loadConfig({ ...looseLimits, LOG_LEVEL: 'info' });
    const stream = new Writable({
      write: (chunk, _encoding, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    app = await buildApp(appContextAround({ db, config, logger: pino({ level: 'info' }, stream) }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('prints the link to the log, where a developer can use it', async () => {
    const ada = await signedUp(db, url);
    const client = new WebClient(url);
    await client.page('/login');
    expect((await client.post('/login/email', { email: ada.email })).status).toBe(200);
    const entry = lines.map((l) => JSON.parse(l)).find((l) => l.msg.startsWith('login link (SMTP_URL is not set'));
    expect(entry.to).toBe(ada.email);
    const token = new URL(entry.link).searchParams.get('token')!;
    expect((await client.post('/login/link', { token })).status).toBe(303);
    expect((await client.page('/account')).html).toContain(ada.email);
  });
});
