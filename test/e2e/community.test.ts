import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_REFUSAL } from '../../src/community/accounts.js';
import type { Db } from '../../src/db/connection.js';
import {
  paperRow,
  signedUp,
  startCommunityServer,
  storedPaper,
  TEST_PASSWORD,
  type Member,
} from '../community/fixtures.js';
import { launchChromium } from '../helpers/browser.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const artifacts = 'test-artifacts';

describe('community in Chromium', () => {
  const sqlite = testDatabases()[0]!;
  let db: Db;
  let server: TestServer;
  let browser: Browser;
  let smtp: SmtpSink;
  let moderator: Member;
  const today = new Date().toISOString().slice(0, 10);
  const problems: string[] = [];
  const paperIds = { featured: '', submitted: '' };

  async function open(path: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    await page.goto(server.url + path);
    return page;
  }

  async function logIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${server.url}/login`);
    await page.locator('form[action="/login"] input[name=email]').fill(email);
    await page.locator('form[action="/login"] input[name=password]').fill(password);
    await Promise.all([page.waitForURL(`${server.url}/`), page.locator('form[action="/login"] button').click()]);
  }

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    db = await sqlite.create();
    paperIds.featured = (
      await storedPaper(db, { title: 'Attention is all you need, again: $O(n \\log n)$ transformers' })
    ).id;
    paperIds.submitted = (await storedPaper(db, { title: 'Sparse mixtures of experts at scale' }, null)).id;
    smtp = await startSmtpSink();
    server = await startCommunityServer(db, { SMTP_URL: smtp.url });
    moderator = await signedUp(db, server.url, 'moderator');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
    await db?.close();
  });

  it('signs up, logs out and logs back in', async () => {
    const page = await open('/signup');
    await page.locator('input[name=email]').fill('grace@example.org');
    await page.locator('input[name=username]').fill('grace');
    await page.locator('input[name=password]').fill('a long enough password');
    await page.locator('form[action="/signup"] button').click();
    await expect(page.locator('.notice').textContent()).resolves.toContain('We sent a link to grace@example.org.');
    await smtp.waitForCount(1);
    const link = /(http:\/\/\S+\/login\/link\?token=\S+)/.exec(smtp.to('grace@example.org')[0]!.parsed.text!)![1]!;
    await page.goto(link);
    await Promise.all([
      page.waitForURL(`${server.url}/welcome`),
      page.locator('form[action="/login/link"] button').click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Welcome to dailypapers, grace!');
    await expect(page.locator('.site-nav a[href="/account"]').textContent()).resolves.toBe('grace');
    await Promise.all([
      page.waitForURL(`${server.url}/`),
      page.locator('.site-nav button', { hasText: 'Log out' }).click(),
    ]);
    await expect(page.locator('.site-nav a[href="/login"]').count()).resolves.toBe(1);
    await page.goto(`${server.url}/login`);
    await page.locator('form[action="/login"] input[name=email]').fill('grace@example.org');
    await page.locator('form[action="/login"] input[name=password]').fill('wrong password');
    await page.locator('form[action="/login"] button').click();
    await expect(page.locator('.error').textContent()).resolves.toBe(LOGIN_REFUSAL);
    // The browser logs the refused login's 401; that one was wanted.
    expect(problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);
    problems.length = 0;
    await logIn(page, 'grace@example.org', 'a long enough password');
    await expect(page.locator('.site-nav a[href="/account"]').textContent()).resolves.toBe('grace');
  });

  it('submits a paper, which joins today\'s list with "submitted by"', async () => {
    const page = await open('/login');
    await logIn(page, 'grace@example.org', 'a long enough password');
    await page.goto(`${server.url}/submit`);
    await page.locator('input[name=paper]').fill(`https://arxiv.org/abs/${paperIds.submitted}v1`);
    await page.locator('form[action="/submit"] button').click();
    await expect(page.locator('.notice').textContent()).resolves.toContain("is on today's list");
    await page.goto(`${server.url}/papers/date/${today}`);
    const card = page.locator('.paper-card', { hasText: 'Sparse mixtures of experts at scale' });
    await expect(card.locator('.submitted-by').textContent()).resolves.toBe('submitted by grace');
    expect((await paperRow(db, paperIds.submitted)).submitted_by).toBe('grace');
  });

  it('upvotes from the feed and sees the count change without a reload, then unvotes', async () => {
    const page = await open('/login');
    await logIn(page, 'grace@example.org', 'a long enough password');
    await page.goto(`${server.url}/`);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const vote = page.locator(`form.vote[data-paper-id="${paperIds.featured}"]`);
    await expect(vote.locator('.vote-count').textContent()).resolves.toBe('0');
    await vote.locator('button').click();
    await expect.poll(() => vote.locator('.vote-count').textContent()).toBe('1');
    await expect(vote.getAttribute('class')).resolves.toContain('voted');
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect((await paperRow(db, paperIds.featured)).upvotes).toBe(1);
    await page.screenshot({ path: `${artifacts}/community-feed-voted.png`, fullPage: true });
    await vote.locator('button').click();
    await expect.poll(() => vote.locator('.vote-count').textContent()).toBe('0');
    expect((await paperRow(db, paperIds.featured)).upvotes).toBe(0);
  });

  it('upvotes with JavaScript turned off, through the plain form post', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await logIn(page, 'grace@example.org', 'a long enough password');
    await page.goto(`${server.url}/papers/${paperIds.featured}`);
    await Promise.all([
      page.waitForURL(`${server.url}/papers/${paperIds.featured}`),
      page.locator('form.vote button').first().click(),
    ]);
    await expect(page.locator('form.vote .vote-count').first().textContent()).resolves.toBe('1');
    await context.close();
  });

  it('comments with math, replies, and a moderator hides the comment', async () => {
    const page = await open('/login');
    await logIn(page, 'grace@example.org', 'a long enough password');
    await page.goto(`${server.url}/papers/${paperIds.featured}`);
    await page
      .locator('.comments > form.comment-form textarea')
      .fill('The bound $O(n \\log n)$ is **tight**. <script>window.pwned = 1</script>');
    await Promise.all([page.waitForLoadState('load'), page.locator('.comments > form.comment-form button').click()]);
    const first = page.locator('article.comment').first();
    await expect(first.locator('.katex').count()).resolves.toBeGreaterThan(0);
    await expect(first.locator('.comment-body strong').first().textContent()).resolves.toBe('tight');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

    await first.locator('details.reply summary').click();
    await first.locator('details.reply textarea').fill('And it is achieved by merge sort.');
    await Promise.all([page.waitForLoadState('load'), first.locator('details.reply button').click()]);
    await expect(
      page.locator('article.comment .replies article.comment .comment-body').textContent(),
    ).resolves.toContain('merge sort');
    await page.screenshot({ path: `${artifacts}/community-paper-comments.png`, fullPage: true });

    const modPage = await open('/login');
    await logIn(modPage, moderator.email, TEST_PASSWORD);
    await modPage.goto(`${server.url}/papers/${paperIds.featured}`);
    await Promise.all([
      modPage.waitForLoadState('load'),
      modPage
        .locator('article.comment')
        .first()
        .locator('.comment-actions button', { hasText: 'Hide' })
        .first()
        .click(),
    ]);
    await expect(modPage.locator('article.comment').first().textContent()).resolves.toContain(
      'Hidden by a moderator; only moderators see this.',
    );

    await page.reload();
    await expect(page.locator('article.comment').first().locator(':scope > p.muted').textContent()).resolves.toBe(
      '[hidden by a moderator]',
    );
    await expect(page.locator('article.comment .replies .comment-body').textContent()).resolves.toContain('merge sort');
    await modPage.goto(`${server.url}/moderation`);
    await expect(modPage.locator('table.moderation-log').textContent()).resolves.toContain('hid comment');
    await modPage.screenshot({ path: `${artifacts}/community-moderation-log.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
