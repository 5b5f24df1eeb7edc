import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { paperRow, startCommunityServer, storedPaper } from '../community/fixtures.js';
import { startArxivServer, type ArxivServer } from '../helpers/arxiv-server.js';
import { launchChromium } from '../helpers/browser.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

/** Signs up in the form, then opens the link mailed to finish, as a new member does. */
async function signUp(
  page: Page,
  baseUrl: string,
  smtp: SmtpSink,
  username: string,
  mailsBefore: number,
): Promise<void> {
  await page.goto(`${baseUrl}/signup`);
  await page.locator('input[name=email]').fill(`${username}@example.org`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill('a long enough password');
  await page.locator('form[action="/signup"] button').click();
  await smtp.waitForCount(mailsBefore + 1);
  const text = smtp.to(`${username}@example.org`)[0]!.parsed.text!;
  await page.goto(/(http:\/\/\S+\/login\/link\?token=\S+)/.exec(text)![1]!);
  await Promise.all([page.waitForURL(`${baseUrl}/welcome`), page.locator('form[action="/login/link"] button').click()]);
}

describe('a new member in Chromium', () => {
  let db: Db;
  let server: TestServer;
  /** The same site without the new-account wait, for what a member does later. */
  let later: TestServer;
  let browser: Browser;
  let arxiv: ArxivServer;
  let smtp: SmtpSink;
  const problems: string[] = [];

  beforeAll(async () => {
    db = await testDatabases()[0]!.create();
    arxiv = await startArxivServer(() => ({ stallAfter: 0, body: '' }));
    smtp = await startSmtpSink();
    server = await startCommunityServer(db, { NEW_ACCOUNT_DELAY_MINUTES: '10', SMTP_URL: smtp.url });
    later = await startCommunityServer(db, { ARXIV_API_URL: arxiv.apiUrl, ARXIV_DELAY_MS: '0', SMTP_URL: smtp.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await later?.close();
    await arxiv?.close();
    await smtp?.close();
    await db?.close();
  });

  it('sees why a first upvote does not count, next to the button, with the time left', async () => {
    const paper = await storedPaper(db, { title: 'A paper a new member likes' });
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.url}/signup`);
    await expect(page.locator('.notice').textContent()).resolves.toContain('open 10 minutes after you sign up');
    await signUp(page, server.url, smtp, 'newbie', 0);

    await page.goto(`${server.url}/papers/${paper.id}`);
    await page.locator('.paper-heading form.vote button').click();
    const message = page.locator('.paper-heading .vote-message');
    await message.waitFor();
    await expect(message.textContent()).resolves.toBe(
      'New accounts can vote 10 minutes after signing up; try again in 10 minutes.',
    );
    await expect(message.getAttribute('role')).resolves.toBe('alert');
    await expect(page.locator('.paper-heading .vote-count').textContent()).resolves.toBe('0');
    expect((await paperRow(db, paper.id)).upvotes).toBe(0);
    expect(problems).toEqual([]);
  });

  it('sees a submission being looked up, then that arXiv did not answer', { timeout: 30_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    await signUp(page, later.url, smtp, 'veteran', 1);
    await page.goto(`${later.url}/submit`);
    await page.locator('input[name=paper]').fill('2104.12255');
    const answered = page.waitForResponse(
      (response) => response.url() === `${later.url}/submit` && response.request().method() === 'POST',
    );
    // Clicks and reads the button in the page itself: the old page stays until arXiv's answer (or its absence) comes.
    const whileWaiting = await page.evaluate(async () => {
      const button = document.querySelector<HTMLButtonElement>('form[action="/submit"] button')!;
      button.click();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { label: button.textContent, disabled: button.disabled };
    });
    expect(whileWaiting).toEqual({ label: 'Looking up on arXiv…', disabled: true });
    expect((await answered).status()).toBe(504);
    await page.waitForLoadState();
    await expect(page.locator('p.error').textContent()).resolves.toContain('arXiv did not answer within 8 seconds');
    await expect(page.locator('form[action="/submit"] button').isDisabled()).resolves.toBe(false);
    await expect(page.locator('input[name=paper]').inputValue()).resolves.toBe('2104.12255');
    expect(problems).toEqual([]);
  });
});
