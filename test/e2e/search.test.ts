import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { seedSearchCorpus } from '../factories/search.js';
import { launchChromium } from '../helpers/browser.js';
import { testDatabases } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const artifacts = 'test-artifacts';

describe('search in Chromium', () => {
  let db: Db;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    db = await testDatabases()[0]!.create();
    await seedSearchCorpus(db);
    server = await startTestServer(db);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  it('searches from the header box, narrows by category and sees the matches marked', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(`${server.url}/papers/trending`);

    await page.getByRole('searchbox', { name: 'Search papers' }).fill('attention');
    await page.getByRole('searchbox', { name: 'Search papers' }).press('Enter');
    await page.waitForURL(/\/search\?q=attention/);
    expect(await page.locator('.search-result').count()).toBe(3);

    await page.getByLabel('Category').fill('cs.CL');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/category=cs.CL/);
    const titles = await page.locator('.search-result .paper-title').allInnerTexts();
    expect(titles).toHaveLength(2);
    expect(titles[0]).toBe('Efficient linear attention for long documents');
    expect(await page.locator('.search-result mark').first().innerText()).toBe('attention');
    expect(await page.getByLabel('Category').inputValue()).toBe('cs.CL');
    expect(await page.getByRole('link', { name: 'RSS feed of this search' }).getAttribute('href')).toBe(
      '/feed.xml?q=attention&category=cs.CL',
    );
    await page.screenshot({ path: `${artifacts}/search.png`, fullPage: true });

    // A title with markup stays text: the script in it never runs.
    expect(titles.join(' ')).toContain('<script>alert(1)</script>');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an arXiv id typed into the box opens the paper', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/search`);
    await page.getByRole('searchbox', { name: 'Search for' }).fill('https://arxiv.org/abs/2611.00002v2');
    await page.getByRole('searchbox', { name: 'Search for' }).press('Enter');
    await page.waitForURL(/\/papers\/2611\.00002$/);
    expect(await page.locator('h1').first().innerText()).toContain('Recurrent networks revisited');
    await page.close();
  });
});
