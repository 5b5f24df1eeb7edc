import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import { signedUp, startCommunityServer, storedPaper, type Member } from '../community/fixtures.js';
import { launchChromium } from '../helpers/browser.js';
import { embedPendingPapers } from '../../src/search/embed-job.js';
import { upsertPapers } from '../../src/store/papers.js';
import { topicPapers } from '../factories/topics.js';
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
    // Papers on four topics, published and featured today, with vectors: what "For you" learns from.
    const today = new Date().toISOString().slice(0, 10);
    await upsertPapers(
      db,
      topicPapers().map((p) => ({ ...p, publishedOn: today })),
      { featuredOn: today },
    );
    server = await startCommunityServer(db);
    await embedPendingPapers(server.ctx);
    await server.ctx.vectorIndexes.active(db);
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

  it('For you: after a save it shows related papers with the saved one as the reason; "Not interested" removes one', async () => {
    const page = await open('/');
    const saved = '2501.00200'; // "Protein folding kinetics"
    await Promise.all([
      page.waitForURL(`${server.url}/`),
      page.locator(`form.save[data-paper-id="${saved}"] button`).click(),
    ]);
    await page.locator('.site-nav a[href="/for-you"]').click();
    await page.waitForURL(`${server.url}/for-you`);
    const items = page.locator('li.recommendation');
    const ids = await items.evaluateAll((list) => list.map((li) => li.getAttribute('data-paper-id')));
    expect(ids).not.toContain(saved);
    // The other protein papers come first, each saying why.
    expect(ids.slice(0, 5).every((id) => id?.startsWith('2501.002'))).toBe(true);
    await expect(items.first().locator('.reason').innerText()).resolves.toMatch(
      /^Like Protein folding kinetics that you saved/,
    );

    const dismissed = ids[0]!;
    await Promise.all([
      page.waitForURL(`${server.url}/for-you?days=7`),
      items.first().locator('button', { hasText: 'Not interested' }).click(),
    ]);
    const after = await page
      .locator('li.recommendation')
      .evaluateAll((list) => list.map((li) => li.getAttribute('data-paper-id')));
    expect(after).not.toContain(dismissed);
    expect(after.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
