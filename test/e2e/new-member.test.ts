import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { paperRow, startCommunityServer, storedPaper } from '../community/fixtures.js';
import { launchChromium } from '../helpers/browser.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';

describe('a new member in Chromium', () => {
  let db: Db;
  let server: TestServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    db = await testDatabases()[0]!.create();
    server = await startCommunityServer(db, { NEW_ACCOUNT_DELAY_MINUTES: '10' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  it('sees why a first upvote does not count, next to the button, with the time left', async () => {
    const paper = await storedPaper(db, { title: 'A paper a new member likes' });
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.url}/signup`);
    await expect(page.locator('.notice').textContent()).resolves.toContain('open 10 minutes after you sign up');
    await page.locator('input[name=email]').fill('newbie@example.org');
    await page.locator('input[name=username]').fill('newbie');
    await page.locator('input[name=password]').fill('a long enough password');
    await Promise.all([page.waitForURL(`${server.url}/`), page.locator('form[action="/signup"] button').click()]);

    await page.goto(`${server.url}/papers/${paper.id}`);
    await page.locator('.paper-heading form.vote button').click();
    const message = page.locator('.paper-heading .vote-message');
    await message.waitFor();
    await expect(message.textContent()).resolves.toBe('New accounts can vote 10 minutes after signing up; try again in 10 minutes.');
    await expect(message.getAttribute('role')).resolves.toBe('alert');
    await expect(page.locator('.paper-heading .vote-count').textContent()).resolves.toBe('0');
    expect((await paperRow(db, paper.id)).upvotes).toBe(0);
    expect(problems).toEqual([]);
  });
});
