import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import { signedUp, startCommunityServer, storedPaper, type Member } from '../community/fixtures.js';
import { launchChromium } from '../helpers/browser.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';

/**
 * The library as a member uses it in a browser: save a paper from a card, find it in /library, add a note,
 * export BibTeX and read the downloaded entry. (The For-you flow extends it.)
 */
describe('the library in Chromium', () => {
  const sqlite = testDatabases()[0]!;
  let db: Db;
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let member: Member;
  let paperId: string;
  const problems: string[] = [];

  beforeAll(async () => {
    db = await sqlite.create();
    paperId = (
      await storedPaper(db, {
        title: 'Masked autoencoders for $\\mathbb{R}^3$ point clouds',
        authors: [{ name: 'Yatian Pang' }],
        publishedOn: '2022-03-13',
      })
    ).id;
    server = await startCommunityServer(db);
    member = await signedUp(db, server.url);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
    await context.addCookies([{ name: SESSION_COOKIE, value: member.cookie(SESSION_COOKIE)!, url: server.url }]);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    await page.goto(server.url + path);
    return page;
  }

  it('saves a paper from its card, notes it in /library, and exports it as BibTeX', async () => {
    const page = await open('/');
    const save = page.locator(`form.save[data-paper-id="${paperId}"] button`);
    await expect(save.textContent()).resolves.toBe('Save');
    await Promise.all([page.waitForURL(`${server.url}/`), save.click()]);
    await expect(page.locator(`form.save[data-paper-id="${paperId}"] button`).textContent()).resolves.toBe('Saved ✓');

    await page.locator('.site-nav a[href="/library"]').click();
    await page.waitForURL(`${server.url}/library`);
    const item = page.locator(`.library-item[data-paper-id="${paperId}"]`);
    await expect(item.locator('.paper-title').textContent()).resolves.toContain('Masked autoencoders');
    await item.locator('textarea[name=note]').fill('Compare with PointBERT {section 4}');
    await Promise.all([
      page.waitForURL(`${server.url}/library`),
      item.locator('button', { hasText: 'Save note' }).click(),
    ]);
    await expect(
      page.locator(`.library-item[data-paper-id="${paperId}"] textarea[name=note]`).inputValue(),
    ).resolves.toBe('Compare with PointBERT {section 4}');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.export-links a', { hasText: 'BibTeX' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('library.bib');
    const entry = await readFile((await download.path())!, 'utf8');
    expect(entry).toContain('@misc{pang2022masked,');
    expect(entry).toContain('title={Masked autoencoders for $\\mathbb{R}^3$ point clouds}');
    expect(entry).toContain(`eprint={${paperId}}`);
    expect(entry).toContain('annote={Compare with PointBERT {section 4}}');
    expect(problems).toEqual([]);
  });
});
