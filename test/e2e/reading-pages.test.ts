import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { upsertPapers } from '../../src/store/papers.js';
import { paperRecord } from '../factories/papers.js';
import { launchChromium } from '../helpers/browser.js';
import { testDatabases } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const artifacts = 'test-artifacts';

/** A page that records console errors and failed requests, which a reader's browser would show. */
async function openPage(context: BrowserContext, problems: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
  });
  return page;
}

describe('reading pages in Chromium', () => {
  const sqlite = testDatabases()[0]!;
  let db: Db;
  let server: TestServer;
  let browser: Browser;
  const mae = paperRecord({
    id: '2203.06604',
    title: 'Masked Autoencoders for Point Cloud Self-supervised Learning',
    abstract:
      'Masked autoencoding has advanced language and vision. We propose a neat scheme for point clouds with a loss of $\\mathcal{L} = \\sum_i \\|x_i - \\hat{x}_i\\|^2$ and \\emph{random masking} at a ratio of $60\\%$. Code: https://github.com/Pang-Yatian/Point-MAE',
    authors: [
      { name: 'Yatian Pang', affiliation: 'Peking University' },
      { name: 'Wenxiao Wang' },
      { name: 'Francis E. H. Tay' },
    ],
    categories: ['cs.CV', 'cs.LG'],
    publishedOn: '2022-03-13',
  });
  const hostile = paperRecord({
    title: '<script>window.pwned = 1</script> Bounds for $x<y$ & friends',
    authors: Array.from({ length: 8 }, (_, i) => ({ name: `Author Number ${i + 1}` })),
  });
  const plain = paperRecord({ title: 'Scaling laws for sparse retrieval over long documents', categories: ['cs.IR'] });

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    db = await sqlite.create();
    await upsertPapers(db, [mae, hostile, plain], { featuredOn: '2026-11-27' });
    await upsertPapers(db, [paperRecord()], { featuredOn: '2026-11-26' });
    await db.kysely.updateTable('papers').set({ upvotes: 42, num_comments: 3 }).where('id', '=', mae.id).execute();
    await db.kysely.updateTable('papers').set({ upvotes: 7 }).where('id', '=', hostile.id).execute();
    server = await startTestServer(db);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  it('shows the day’s papers in order, math rendered, no script run and no errors', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const page = await openPage(context, problems);
    await page.goto(`${server.url}/papers/date/2026-11-27`);
    const titles = await page.locator('.paper-title').allInnerTexts();
    expect(titles[0]).toBe('Masked Autoencoders for Point Cloud Self-supervised Learning');
    expect(titles[1]).toContain('<script>window.pwned = 1</script> Bounds for');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('.paper-card').first().locator('.vote-count').innerText()).toBe('42');
    await expect.poll(() => page.locator('.paper-card .katex').count()).toBe(1);
    expect(await page.locator('.paper-card').nth(1).locator('.paper-authors').innerText()).toMatch(
      /Author Number 6 et al\.$/,
    );
    expect(await page.locator('a[rel="prev"]').first().innerText()).toContain('26 Nov 2026');
    await page.screenshot({ path: `${artifacts}/day.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a paper with its abstract, links and a BibTeX entry the copy button copies', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const problems: string[] = [];
    const page = await openPage(context, problems);
    await page.goto(`${server.url}/papers/date/2026-11-27`);
    await page.getByRole('link', { name: 'Masked Autoencoders for Point Cloud Self-supervised Learning' }).click();
    await page.waitForURL(`${server.url}/papers/2203.06604`);
    expect(await page.locator('h1').innerText()).toBe('Masked Autoencoders for Point Cloud Self-supervised Learning');
    expect(await page.locator('.author-list').innerText()).toContain('Yatian Pang (Peking University)');
    const abstract = page.locator('.abstract');
    expect(await abstract.innerText()).toContain('random masking');
    expect(await abstract.locator('em').innerText()).toBe('random masking');
    expect(await abstract.locator('.katex').count()).toBe(2);
    expect(await abstract.getByRole('link').getAttribute('href')).toBe('https://github.com/Pang-Yatian/Point-MAE');
    expect(await page.getByRole('link', { name: 'PDF', exact: true }).getAttribute('href')).toBe(
      'https://arxiv.org/pdf/2203.06604',
    );
    expect(await page.getByRole('link', { name: 'GitHub', exact: true }).getAttribute('href')).toBe(
      'https://github.com/Pang-Yatian/Point-MAE',
    );
    // KaTeX's own fonts are loaded for the formulas.
    await expect
      .poll(() =>
        page.evaluate(() => [...document.fonts].some((f) => f.family.includes('KaTeX') && f.status === 'loaded')),
      )
      .toBe(true);
    await page.getByRole('button', { name: 'Copy BibTeX' }).click();
    await expect.poll(() => page.locator('.copy-button').innerText()).toBe('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/^@misc\{pang2022masked,\n {2}title=\{Masked Autoencoders/);
    await page.screenshot({ path: `${artifacts}/paper.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the BibTeX readable and the copy button out of the way without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/papers/2203.06604`);
    expect(await page.locator('#bibtex').innerText()).toContain('eprint={2203.06604}');
    expect(await page.getByRole('button', { name: 'Copy BibTeX' }).isVisible()).toBe(false);
    await context.close();
  });

  it('fits a phone screen and reads in dark mode', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      deviceScaleFactor: 2,
    });
    const problems: string[] = [];
    const page = await openPage(context, problems);
    for (const [path, name] of [
      ['/', 'home-mobile-dark'],
      ['/papers/2203.06604', 'paper-mobile-dark'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe('rgb(13, 17, 23)');
      await page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: true });
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows readable error pages', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const missing = await page.goto(`${server.url}/papers/2401.99999`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('h1').innerText()).toBe('Page not found');
    const bad = await page.goto(`${server.url}/papers/week/2026-W60`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('main').innerText()).toContain('Weeks look like 2026-W48');
    await page.screenshot({ path: `${artifacts}/error-400.png` });
    await context.close();
  });
});
