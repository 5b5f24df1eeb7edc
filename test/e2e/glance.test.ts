import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import { saveThumbnail } from '../../src/store/thumbnails.js';
import { upsertPapers } from '../../src/store/papers.js';
import { signedUp, startCommunityServer, type Member } from '../community/fixtures.js';
import { paperRecord } from '../factories/papers.js';
import { launchChromium } from '../helpers/browser.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';
import { printPaperPdf } from '../helpers/pdf.js';
import { ThumbnailRenderer } from '../../src/thumbnails/renderer.js';

const artifacts = 'test-artifacts';
const axeSource: string = createRequire(import.meta.url)('axe-core').source;
const DAY = '2026-11-27';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical findings on the page as it is now, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
  // page.evaluate runs outside the page's Content-Security-Policy, which forbids inline scripts.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('a paper at a glance, in Chromium', () => {
  const sqlite = testDatabases()[0]!;
  let db: Db;
  let server: TestServer;
  let browser: Browser;
  let grace: Member;
  const mae = paperRecord({
    id: '2203.06604',
    title: 'Masked Autoencoders for Point Cloud Self-supervised Learning',
    abstract:
      'Masked autoencoding runs $118\\times$ faster at \\$1,890 a run, or 118\\times with $top$-1 accuracy and \\emph{random masking}. Code: https://github.com/Pang-Yatian/Point-MAE',
    categories: ['cs.CV', 'cs.LG'],
  });
  const others = Array.from({ length: 5 }, (_, i) =>
    paperRecord({
      title: `Scaling laws for sparse retrieval, part ${i + 1}`,
      categories: [['cs.IR', 'cs.CL', 'cs.LG'][i % 3]!],
    }),
  );

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    db = await sqlite.create();
    server = await startCommunityServer(db);
    grace = await signedUp(db, server.url);
    await upsertPapers(db, [mae, ...others], { featuredOn: DAY });
    await db.kysely
      .updateTable('papers')
      .set({
        upvotes: 42,
        num_comments: 3,
        submitted_by: grace.username,
        // What the enrich jobs compute, as they store it: the card shows it at a glance.
        ai_summary:
          'Masking 60% of point patches and reconstructing them teaches a transformer point-cloud features that transfer.',
        ai_keywords: JSON.stringify(['masked autoencoding', 'point clouds', 'self-supervised learning']),
        github_url: 'https://github.com/Pang-Yatian/Point-MAE',
        github_stars: 1234,
      })
      .where('id', '=', mae.id)
      .execute();
    browser = await launchChromium();
    // One paper has its first page rendered (as the thumbnail job does), the rest show their title cards.
    const renderer = new ThumbnailRenderer();
    const rendered = await renderer.render(await printPaperPdf(browser, { title: mae.title, pages: 2 }));
    await renderer.close();
    if (!('image' in rendered)) throw new Error(rendered.error);
    await saveThumbnail(db, mae.id, rendered);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  async function newContext(options: { dark?: boolean; mobile?: boolean; signedIn?: boolean } = {}) {
    const context = await browser.newContext({
      viewport: options.mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 },
      deviceScaleFactor: options.mobile ? 2 : 1,
      colorScheme: options.dark ? 'dark' : 'light',
    });
    if (options.signedIn) {
      const { hostname } = new URL(server.url);
      await context.addCookies([
        { name: SESSION_COOKIE, value: grace.cookie(SESSION_COOKIE)!, domain: hostname, path: '/' },
      ]);
    }
    return context;
  }

  const publicPages = [
    '/',
    `/papers/date/${DAY}`,
    '/papers/week/2026-W48',
    '/papers/month/2026-11',
    '/papers/trending',
    `/papers/${mae.id}`,
    '/search?q=sparse+retrieval',
    '/search?q=masked',
    '/login',
    '/signup',
    '/subscribe',
    '/moderation',
    '/papers/2401.99999',
  ];
  const memberPages = ['/', `/papers/${mae.id}`, '/submit', '/account'];

  for (const dark of [false, true]) {
    it(`has no serious or critical axe-core violations on any page, ${dark ? 'dark' : 'light'}`, async () => {
      const found: string[] = [];
      for (const signedIn of [false, true]) {
        const context = await newContext({ dark, signedIn });
        const page = await context.newPage();
        for (const path of signedIn ? memberPages : publicPages) {
          await page.goto(server.url + path);
          for (const violation of await seriousViolations(page))
            found.push(`${signedIn ? 'member ' : ''}${path}: ${violation}`);
        }
        await context.close();
      }
      expect(found).toEqual([]);
    }, 120_000);
  }

  it('lays the day out as a card grid with pictures, and screenshots it on desktop and phone, light and dark', async () => {
    for (const mobile of [false, true]) {
      for (const dark of [false, true]) {
        const context = await newContext({ dark, mobile });
        const page = await context.newPage();
        await page.goto(`${server.url}/papers/date/${DAY}`);
        const cards = page.locator('.paper-card');
        await expect.poll(() => cards.count()).toBe(6);
        // Every card's picture loads as it scrolls into view: the rendered first page for one, a title card for the rest.
        for (const image of await page.locator('.card-image img').all()) await image.scrollIntoViewIfNeeded();
        await page.evaluate(() => window.scrollTo(0, 0));
        await expect
          .poll(() =>
            page.evaluate(() =>
              [...document.querySelectorAll<HTMLImageElement>('.card-image img')].every(
                (img) => img.complete && img.naturalWidth > 0,
              ),
            ),
          )
          .toBe(true);
        const first = cards.first();
        expect(await first.locator('.paper-title').innerText()).toBe(mae.title);
        expect(await first.locator('.vote-count').innerText()).toBe('42');
        expect(await first.locator('.comment-count').innerText()).toBe('3');
        expect(await first.locator('.submitted-by').innerText()).toBe(`submitted by ${grace.username}`);
        expect(await first.locator('.paper-summary').innerText()).toMatch(/^Masking 60% of point patches/);
        expect(await first.locator('.keywords li').allInnerTexts()).toEqual([
          'masked autoencoding',
          'point clouds',
          'self-supervised learning',
        ]);
        expect(await first.locator('.github').innerText()).toContain('★ 1.2k');
        expect(await first.locator('img.avatar').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(
          0,
        );
        const columns = await page
          .locator('.paper-grid')
          .evaluate((grid) => getComputedStyle(grid).gridTemplateColumns.split(' ').length);
        if (mobile) expect(columns).toBe(1);
        else expect(columns).toBeGreaterThanOrEqual(3);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({
          path: `${artifacts}/glance-day-${mobile ? 'mobile' : 'desktop'}-${dark ? 'dark' : 'light'}.png`,
          fullPage: true,
        });
        await context.close();
      }
    }
  }, 120_000);

  it('folds the header into a menu on a phone, which opens without JavaScript', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const trending = page.locator('.site-nav a[href="/papers/trending"]');
    expect(await trending.isVisible()).toBe(false);
    // Brand, search box and menu button share one row: their middles line up.
    const middles = await page.evaluate(() =>
      ['.brand', '.search-box', '.menu-button'].map((s) => {
        const box = document.querySelector(s)!.getBoundingClientRect();
        return box.top + box.height / 2;
      }),
    );
    expect(Math.max(...middles) - Math.min(...middles)).toBeLessThan(4);
    await page.locator('.menu-button').click();
    expect(await trending.isVisible()).toBe(true);
    await page.screenshot({ path: `${artifacts}/glance-menu-open-mobile.png` });
    await context.close();
    // On a wide screen the links are there without a button.
    const wide = await newContext();
    const widePage = await wide.newPage();
    await widePage.goto(`${server.url}/`);
    expect(await widePage.locator('.menu-button').isVisible()).toBe(false);
    expect(await widePage.locator('.site-nav a[href="/papers/trending"]').isVisible()).toBe(true);
    await wide.close();
  });

  it('jumps to a day from the calendar, by its grid or by the date field', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/papers/week/2026-W48`);
    await page.locator('.calendar summary').click();
    const linked = page.locator('.calendar-grid a.has-papers');
    expect(await linked.allInnerTexts()).toEqual(['27']);
    await linked.click();
    await page.waitForURL(`${server.url}/papers/date/${DAY}`);
    await page.locator('.calendar summary').click();
    await page.locator('.day-jump input[name=day]').fill('2026-11-02');
    await page.locator('.day-jump button').click();
    await page.waitForURL(`${server.url}/papers/date/2026-11-02`);
    expect(await page.locator('.empty-state').innerText()).toContain('No papers were featured on this day');
    await context.close();
  });

  it('shows the paper page with its first page, LaTeX rendered everywhere and no raw backslash', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/papers/${mae.id}`);
    const thumbnail = page.locator('.paper-thumbnail img');
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(await thumbnail.evaluate((img: HTMLImageElement) => img.currentSrc)).toBe(
      `${server.url}/thumbnails/${mae.id}.webp`,
    );
    const abstract = await page.locator('.abstract').innerText();
    expect(abstract).toContain('$1,890');
    expect(abstract).not.toContain('\\');
    expect(await page.locator('.abstract .katex').count()).toBe(3);
    expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toBe(
      `${server.url}/thumbnails/${mae.id}.webp`,
    );
    await page.screenshot({ path: `${artifacts}/glance-paper.png`, fullPage: true });
    await page.goto(`${server.url}/search?q=masked`);
    const snippet = await page.locator('.search-snippet').innerText();
    expect(snippet).not.toContain('\\');
    expect(snippet).not.toMatch(/\$top\$/);
    await context.close();
  });
});
