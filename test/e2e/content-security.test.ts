import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import type { Db } from '../../src/db/connection.js';
import { signedUp, startCommunityServer, storedPaper, type Member } from '../community/fixtures.js';
import { launchChromium } from '../helpers/browser.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';

/**
 * The Content-Security-Policy is strict (no inline script) yet breaks nothing on the site's own
 * pages: Chromium reports no violation on them, signed out or in, with math in abstracts and comments.
 */
describe('content security policy in Chromium', () => {
  const sqlite = testDatabases()[0]!;
  let db: Db;
  let server: TestServer;
  let browser: Browser;
  let member: Member;
  let paperId: string;

  beforeAll(async () => {
    db = await sqlite.create();
    paperId = (
      await storedPaper(db, {
        title: 'Fast $O(n \\log n)$ attention',
        abstract: 'We bound $\\sum_i \\|x_i\\|^2 \\le \\frac{1}{2}$.',
      })
    ).id;
    server = await startCommunityServer(db);
    member = await signedUp(db, server.url);
    const comment = await member.post('/comments', {
      paper: paperId,
      body: 'The bound $$\\int_0^1 f(x)\\,dx$$ holds.',
    });
    expect(comment.status).toBeLessThan(400);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  /** Visits each path and returns every CSP violation the browser reported, with the page it happened on. */
  async function violationsOn(context: BrowserContext, paths: string[]): Promise<string[]> {
    const violations: string[] = [];
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
    });
    for (const path of paths) {
      const response = await page.goto(server.url + path, { waitUntil: 'load' });
      expect(response!.headers()['content-security-policy'], path).toContain("script-src 'self'");
    }
    await page.close();
    return violations;
  }

  const pages = () => [
    '/',
    `/papers/${paperId}`,
    '/papers/trending',
    '/search?q=attention',
    `/papers/month/${new Date().toISOString().slice(0, 7)}`,
    '/subscribe',
    '/no/such/page',
  ];

  it('reports no violation on the pages a reader sees', async () => {
    const context = await browser.newContext();
    expect(await violationsOn(context, [...pages(), '/login', '/signup'])).toEqual([]);
    await context.close();
  });

  it('reports no violation on the pages a member sees', async () => {
    const context = await browser.newContext();
    await context.addCookies([{ name: SESSION_COOKIE, value: member.cookie(SESSION_COOKIE)!, url: server.url }]);
    expect(await violationsOn(context, [...pages(), '/submit', '/account'])).toEqual([]);
    await context.close();
  });

  it('blocks a script that found its way into a page inline', async () => {
    const context = await browser.newContext();
    const violations: string[] = [];
    const page = await context.newPage();
    page.on('console', (message) => /Content Security Policy/i.test(message.text()) && violations.push(message.text()));
    await page.goto(`${server.url}/papers/${paperId}`);
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injectedRan = true';
      document.body.append(script);
      return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
    });
    expect(ran).toBe(false);
    expect(violations.join('\n')).toContain('script-src');
    await context.close();
  });
});
