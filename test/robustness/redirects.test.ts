import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import { testDatabases } from '../helpers/db.js';
import { hostileRedirectTarget, SeededRandom } from '../helpers/random.js';
import { serveCommunity, signedUp, storedPaper } from '../community/fixtures.js';

/** Issue 11, defect 10: `next` and `return_to` sent visitors off-site, and a non-Latin-1 `next` gave a 500. */
describe.each(testDatabases())('redirect targets on $dialect', ({ create }) => {
  const ctx = serveCommunity(create);

  /** Asserts a response stays on the site: never a 5xx, and a redirect only to a path here. */
  function expectSameSite(response: Response, what: string): void {
    expect(response.status, what).toBeLessThan(500);
    const location = response.headers.get('location');
    if (location === null) return;
    expect(location, what).toMatch(/^\/(?![/\\])/);
    expect(new URL(location, ctx.server.url).origin, what).toBe(new URL(ctx.server.url).origin);
  }

  it('logs in and stays on the site whatever `next` says, keeping the session cookie', async () => {
    const ada = await signedUp(ctx.db, ctx.server.url);
    await ada.page('/login');
    const login = (next: string) => ada.post('/login', { email: ada.email, password: ada.password, next });
    const loggedIn = await login('/authors/jürgen-schmidhuber');
    expect(loggedIn.status).toBe(303);
    expect(loggedIn.headers.get('location')).toBe('/authors/j%C3%BCrgen-schmidhuber');
    expect(loggedIn.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(true);

    const crafted = ['/\t/evil.example/', '/\\/evil.example/', '/..//evil.example/', '//evil.example'];
    crafted.push('https://evil.example/');
    for (const next of crafted) {
      const page = await ada.request('GET', `/login?next=${encodeURIComponent(next)}`);
      expectSameSite(page, `GET /login?next=${JSON.stringify(next)}`);
      await ada.page('/login');
      expectSameSite(await login(next), `next=${JSON.stringify(next)}`);
    }
    const random = new SeededRandom(11);
    for (let i = 0; i < 10; i++) {
      const next = hostileRedirectTarget(random);
      await ada.page('/login');
      expectSameSite(await login(next), `seed 11 case ${i} ${JSON.stringify(next)}`);
    }
  });

  it('returns to a page on the site after voting, whatever `return_to` says', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    const random = new SeededRandom(10);
    for (let i = 0; i < 40; i++) {
      const returnTo = i === 0 ? '/\t/evil.example/' : i === 1 ? '/ü?x=é' : hostileRedirectTarget(random);
      const direction = i % 2 === 0 ? 'up' : 'down';
      const response = await ada.post('/vote', { paper: paper.id, direction, return_to: returnTo });
      expectSameSite(response, `seed 10 case ${i} ${JSON.stringify(returnTo)}`);
    }
  });
});
