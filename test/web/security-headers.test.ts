import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import type { Db } from '../../src/db/connection.js';
import { signedUp, startCommunityServer, storedPaper } from '../community/fixtures.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';
import { WebClient } from '../helpers/web-client.js';

const sqlite = testDatabases()[0]!;

/** What every answer carries, whatever route (or failure) produced it. */
function expectSecurityHeaders(response: Response, what: string): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("default-src 'none'");
  expect(csp, what).toContain("script-src 'self'");
  expect(csp, what).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(response.headers.get('x-frame-options'), what).toBe('DENY');
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(response.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
}

describe.each([
  { site: 'https://papers.example.org', https: true },
  { site: null, https: false },
])('security headers with BASE_URL $site', ({ site, https }) => {
  let db: Db;
  let server: TestServer;
  let paperId: string;
  beforeAll(async () => {
    db = await sqlite.create();
    server = await startCommunityServer(db, site ? { BASE_URL: site } : {});
    paperId = (await storedPaper(db)).id;
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('come with pages, the API, feeds, static files, errors and refusals alike', async () => {
    const requests: [string, RequestInit?][] = [
      ['/'],
      [`/papers/${paperId}`],
      ['/api/daily_papers'],
      ['/feed.xml'],
      ['/static/style.css'],
      ['/static/katex/katex.min.css'],
      ['/no/such/page'],
      ['/api/papers/not-an-id'],
      ['/papers/date/2026-99-99'],
      ['/healthz'],
      ['/login', { method: 'POST', body: new URLSearchParams({ email: 'a@example.org' }) }],
    ];
    for (const [path, init] of requests) {
      const response = await fetch(`${server.url}${path}`, init);
      expectSecurityHeaders(response, `${init?.method ?? 'GET'} ${path} (${response.status})`);
      expect(response.headers.has('strict-transport-security'), path).toBe(https);
      if (https) expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    }
  });

  it(`marks the session cookie Secure ${https ? 'on an https site' : 'only over https'}`, async () => {
    const owner = await signedUp(db, server.url);
    const client = new WebClient(server.url);
    await client.page('/login');
    const login = await client.post('/login', { email: owner.email, password: owner.password });
    expect(login.status).toBe(303);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(cookie).toContain('HttpOnly');
    expect(/;\s*Secure/i.test(cookie)).toBe(https);
  });
});
