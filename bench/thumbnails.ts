/**
 * Thumbnail rendering: per-paper time to render the top of page 1 of a typical 20-page paper (two
 * columns of text with figures, printed by Chromium) to WebP, one at a time on the render thread (one
 * core), and the peak resident memory (the kernel's high-water mark, VmHWM) of a process that does only
 * that. Anchor: pdfjs alone opening the same file and its first page (getDocument + getPage(1)), without
 * drawing, in this process. Targets: p50 under 1 s, peak under 300 MB.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { printResult, round } from './_common.js';
import { percentiles } from './lib/search-queries.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PAGES = 20;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** The process's resident-memory high-water mark, in MB (Linux). */
function peakResidentMb(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return round(Number(kb) / 1024, 1);
}

if (process.argv[2] === 'render') {
  // The measured process: nothing loaded but the renderer, which loads pdfjs on its thread.
  const { ThumbnailRenderer } = await import('../src/thumbnails/renderer.js');
  const pdf = readFileSync(process.argv[3]!);
  const renderer = new ThumbnailRenderer();
  let bytes = 0;
  const render = async () => {
    const outcome = await renderer.render(pdf);
    if (!('image' in outcome)) throw new Error(outcome.error);
    bytes = outcome.image.length;
  };
  const firstMs = await timed(render);
  const renders: number[] = [];
  for (let i = 0; i < ROUNDS; i++) renders.push(await timed(render));
  await renderer.close();
  process.stdout.write(JSON.stringify({ firstMs, renders, bytes, peakMb: peakResidentMb() }));
} else {
  const { launchChromium } = await import('../test/helpers/browser.js');
  const { printPaperPdf } = await import('../test/helpers/pdf.js');
  const browser = await launchChromium();
  const pdf = await printPaperPdf(browser, { title: 'Sparse Attention at Scale: A Study of Things', pages: PAGES });
  await browser.close();
  const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-thumbnails-'));
  try {
    const file = join(dir, 'paper.pdf');
    writeFileSync(file, pdf);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', new URL(import.meta.url).pathname, 'render', file],
      { maxBuffer: 1024 * 1024 },
    );
    const child = JSON.parse(stdout) as { firstMs: number; renders: number[]; bytes: number; peakMb: number };

    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const parseOnly = async () => {
      const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: 0 }).promise;
      await document.getPage(1);
      await document.destroy();
    };
    await parseOnly();
    const anchor: number[] = [];
    for (let i = 0; i < ROUNDS; i++) anchor.push(await timed(parseOnly));

    const render = percentiles(child.renders);
    const anchorP50 = percentiles(anchor).p50_ms;
    printResult({
      bench: 'thumbnails',
      pdf_pages: PAGES,
      pdf_kb: round(pdf.length / 1024, 1),
      rounds: ROUNDS,
      anchor: 'pdfjs getDocument + getPage(1) of the same file, no drawing',
      anchor_p50_ms: anchorP50,
      render_p50_ms: render.p50_ms,
      render_p99_ms: render.p99_ms,
      render_to_anchor_ratio: round(render.p50_ms / anchorP50, 2),
      first_render_with_thread_start_ms: round(child.firstMs, 0),
      webp_kb: round(child.bytes / 1024, 1),
      peak_rss_mb: child.peakMb,
      targets: { render_p50_ms: 1000, peak_rss_mb: 300 },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
