import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { upsertPapers } from '../../src/store/papers.js';
import { renderThumbnails, MAX_PDF_BYTES } from '../../src/thumbnails/job.js';
import { ThumbnailRenderer } from '../../src/thumbnails/renderer.js';
import { paperRecord } from '../factories/papers.js';
import { startArxivServer, type ArxivReply, type ArxivServer } from '../helpers/arxiv-server.js';
import { launchChromium } from '../helpers/browser.js';
import { testContext } from '../helpers/context.js';
import { testDatabases } from '../helpers/db.js';
import { handWrittenPdf, passwordLockedPdf, printPaperPdf } from '../helpers/pdf.js';

const PDF = { 'content-type': 'application/pdf' };

/** WebP: RIFF, a size, WEBP. */
const isWebp = (bytes: Buffer) =>
  bytes.subarray(0, 4).toString() === 'RIFF' && bytes.subarray(8, 12).toString() === 'WEBP';

let browser: Browser;
let paperPdf: Buffer;
beforeAll(async () => {
  browser = await launchChromium();
  paperPdf = await printPaperPdf(browser, { title: 'Sparse attention at scale', pages: 3 });
}, 60_000);
afterAll(async () => browser?.close());

describe('the thumbnail renderer', () => {
  it('renders the top of page 1 of a printed paper to WebP, and turns hostile files into failures', async () => {
    const renderer = new ThumbnailRenderer();
    try {
      const good = await renderer.render(paperPdf);
      expect('image' in good && isWebp(good.image)).toBe(true);
      expect(await renderer.render(passwordLockedPdf())).toEqual({ error: 'encrypted: the PDF needs a password' });
      expect(await renderer.render(paperPdf.subarray(0, 200))).toMatchObject({ error: /^not a readable PDF/ });
      expect(await renderer.render(Buffer.from(`%PDF-1.7\n${'garbage '.repeat(500)}`))).toMatchObject({
        error: /^not a readable PDF/,
      });
      // A page without a size (read as Letter) and a page a billion points wide both render, scaled to the width.
      const sizeless = handWrittenPdf().toString('latin1').replace('/MediaBox [0 0 612 792]', '/MediaBox [0 0 0 0]');
      expect(await renderer.render(Buffer.from(sizeless, 'latin1'))).toHaveProperty('image');
      const vast = handWrittenPdf().toString('latin1').replace('/MediaBox [0 0 612 792]', '/MediaBox [0 0 1e9 1e9]');
      expect(await renderer.render(Buffer.from(vast, 'latin1'))).toHaveProperty('image');
      // A render past its time is given up, the thread replaced, and the next file renders.
      expect(await renderer.render(paperPdf, 1)).toEqual({ error: 'rendering took longer than 1 ms' });
      expect(await renderer.render(paperPdf)).toHaveProperty('image');
    } finally {
      await renderer.close();
    }
  }, 60_000);
});

describe.each(testDatabases())('the thumbnail job on $dialect', ({ create }) => {
  let db: Db;
  let arxiv: ArxivServer;
  const replies = new Map<string, ArxivReply>();
  const papers = {
    good: paperRecord(),
    oldStyle: paperRecord({ id: 'hep-th/9901001' }),
    missing: paperRecord(),
    truncated: paperRecord(),
    htmlPage: paperRecord(),
    locked: paperRecord(),
    huge: paperRecord(),
    hugeStreamed: paperRecord(),
    notArxiv: paperRecord({ id: 'doi:10.1101/2026.01.01.000001' }),
  };

  beforeAll(async () => {
    db = await create();
    arxiv = await startArxivServer(({ path }) => replies.get(path) ?? { status: 404, body: 'not found' });
    const huge = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MAX_PDF_BYTES + 1024, 32)]);
    const set = (paper: { id: string }, reply: ArxivReply) => replies.set(`/pdf/${paper.id}`, reply);
    set(papers.good, { body: paperPdf, headers: PDF });
    set(papers.oldStyle, { body: paperPdf, headers: PDF });
    set(papers.truncated, { body: paperPdf.subarray(0, paperPdf.length / 3), headers: PDF });
    set(papers.htmlPage, {
      body: '<html><body>Please verify you are human</body></html>',
      headers: { 'content-type': 'text/html' },
    });
    set(papers.locked, { body: passwordLockedPdf(), headers: PDF });
    set(papers.huge, { body: huge, headers: PDF });
    set(papers.hugeStreamed, { body: huge, headers: { ...PDF, 'transfer-encoding': 'chunked' } });
    await upsertPapers(db, Object.values(papers), { featuredOn: '2026-11-27' });
  }, 60_000);
  afterAll(async () => {
    await arxiv?.close();
    await db?.close();
  });

  const context = () =>
    testContext(db, {
      ARXIV_PDF_URL: arxiv.apiUrl.replace('/api/query', '/pdf'),
      ARXIV_DELAY_MS: '40',
      ARXIV_CONTACT: 'ops@example.org',
    });

  const rows = async () =>
    Object.fromEntries(
      (await db.kysely.selectFrom('paper_thumbnails').select(['paper_id', 'status', 'error', 'image']).execute()).map(
        (r) => [r.paper_id, r],
      ),
    );

  it('renders good PDFs, records every hostile one as failed with its reason, and never asks twice', async () => {
    const ctx = context();
    const run = await renderThumbnails({ ...ctx, retriesPerRequest: 0 });
    expect(run).toEqual({ rendered: 2, failed: 7 });
    const stored = await rows();
    for (const paper of [papers.good, papers.oldStyle]) {
      expect(stored[paper.id]!.status).toBe('ready');
      expect(isWebp(Buffer.from(stored[paper.id]!.image!))).toBe(true);
    }
    expect(stored[papers.missing.id]).toMatchObject({
      status: 'failed',
      error: 'no PDF: arXiv answered 404',
      image: null,
    });
    expect(stored[papers.truncated.id]!.error).toMatch(/^not a readable PDF/);
    expect(stored[papers.htmlPage.id]!.error).toBe('not a PDF');
    expect(stored[papers.locked.id]!.error).toBe('encrypted: the PDF needs a password');
    expect(stored[papers.huge.id]!.error).toBe('the PDF is larger than 50 MB');
    expect(stored[papers.hugeStreamed.id]!.error).toBe('the PDF is larger than 50 MB');
    expect(stored[papers.notArxiv.id]!.error).toBe('no PDF: not an arXiv paper');

    // Politely: one request per paper on arXiv, the old-style id in its path, a User-Agent with the contact,
    // and ARXIV_DELAY_MS between the starts of two requests.
    const asked = arxiv.requests.map((r) => r.path);
    expect(asked).toHaveLength(8);
    expect(asked).toContain('/pdf/hep-th/9901001');
    expect(arxiv.requests.every((r) => String(r.headers['user-agent']).includes('mailto:ops@example.org'))).toBe(true);
    for (let i = 1; i < arxiv.requests.length; i++)
      expect(arxiv.requests[i]!.at - arxiv.requests[i - 1]!.at).toBeGreaterThanOrEqual(35);

    // Every paper has its outcome: the next run asks arXiv nothing.
    expect(await renderThumbnails({ ...ctx, retriesPerRequest: 0 })).toEqual({ rendered: 0, failed: 0 });
    expect(arxiv.requests).toHaveLength(8);
    await ctx.close();
  }, 120_000);

  it('leaves a paper untried while arXiv fails, so a later run renders it', async () => {
    const ctx = context();
    const paper = paperRecord();
    await upsertPapers(db, [paper], { featuredOn: '2026-11-28' });
    replies.set(`/pdf/${paper.id}`, { status: 503, body: 'busy', headers: { 'retry-after': '0' } });
    await expect(renderThumbnails({ ...ctx, retriesPerRequest: 0 })).rejects.toThrow(/HTTP 503/);
    expect((await rows())[paper.id]).toBeUndefined();
    replies.set(`/pdf/${paper.id}`, { body: paperPdf, headers: PDF });
    expect(await renderThumbnails({ ...ctx, retriesPerRequest: 0 })).toEqual({ rendered: 1, failed: 0 });
    expect((await rows())[paper.id]!.status).toBe('ready');
    await ctx.close();
  }, 60_000);
});
