import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { buildApp } from '../../src/web/app.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { WebClient, member } from '../helpers/web-client.js';
import { countRows, looseLimits, signedUp, startCommunityServer } from './fixtures.js';

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

  it('signs up with a session cookie that is HttpOnly and SameSite=Lax, and shows the member in the header', async () => {
    const client = new WebClient(server.url);
    const identity = member('ada');
    await client.page('/signup');
    const response = await client.post('/signup', identity);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('dp_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const account = await client.page('/account');
    expect(account.status).toBe(200);
    expect(account.html).toContain(identity.email);
    expect(account.html).toContain(`<a href="/account">${identity.username}</a>`);
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
      [{ ...member(), email: taken.email.toUpperCase() }, 409, 'An account with that email address already exists.'],
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

  it('says whether the email or the password was wrong, and logs in with the right ones', async () => {
    const ada = await signedUp(db, server.url);
    const client = new WebClient(server.url);
    await client.page('/login');
    const unknown = await client.post('/login', { email: 'nobody@example.org', password: 'whatever1' });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('No account uses that email address.');
    const wrong = await client.post('/login', { email: ada.email, password: 'wrong password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong password.');
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
    expect(await request.text()).toContain(`We sent a login link to ${ada.email}`);
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
    const second = new URL(/(http:\/\/\S+)/.exec(smtp.to(ada.email).at(-1)!.parsed.text ?? '')![1]!).searchParams.get('token')!;
    await db.kysely.updateTable('login_links').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('used_at', 'is', null).execute();
    const expired = await stranger.post('/login/link', { token: second });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('That login link has expired.');
    const bogus = await stranger.post('/login/link', { token: 'made-up' });
    expect(await bogus.text()).toContain('That login link is not valid.');
  });

  it('sends no login link to an unknown address', async () => {
    const client = new WebClient(server.url);
    await client.page('/login');
    const before = await countRows(db, 'login_links');
    const response = await client.post('/login/email', { email: 'ghost@example.org' });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('No account uses that email address. Sign up first.');
    expect(await countRows(db, 'login_links')).toBe(before);
  });

  it('issues API tokens that work as Bearer credentials without CSRF, until revoked', async () => {
    const ada = await signedUp(db, server.url);
    const created = await ada.post('/account/tokens', { name: 'my script' });
    expect(created.status).toBe(201);
    const token = /<code class="new-token">(dp_[\w-]+)<\/code>/.exec(await created.text())![1]!;
    const stored = await db.kysely.selectFrom('api_tokens').select('token_hash').where('name', '=', 'my script').execute();
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

  it('limits login attempts per account and per IP with 429 and Retry-After', async () => {
    const client = new WebClient(server.url);
    await client.page('/login');
    for (let i = 0; i < 2; i++) expect((await client.post('/login', { email: 'target@example.org', password: 'guess' })).status).toBe(401);
    const limited = await client.post('/login', { email: 'target@example.org', password: 'guess' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    expect(await limited.text()).toContain('Too many login attempts.');
    // A fourth attempt on another account is under that account's limit but the IP's fourth.
    expect((await client.post('/login', { email: 'other@example.org', password: 'guess' })).status).toBe(401);
    expect((await client.post('/login', { email: 'third@example.org', password: 'guess' })).status).toBe(429);
  });

  it('limits sign-ups per IP', async () => {
    const before = await countRows(db, 'users');
    const signUpFromSameAddress = async () => {
      const client = new WebClient(server.url);
      await client.page('/signup');
      return client.post('/signup', member());
    };
    expect((await signUpFromSameAddress()).status).toBe(303);
    expect((await signUpFromSameAddress()).status).toBe(303);
    const limited = await signUpFromSameAddress();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await countRows(db, 'users')).toBe(before + 2);
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
    app = await buildApp({ db, config, logger: pino({ level: 'info' }, stream) });
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
