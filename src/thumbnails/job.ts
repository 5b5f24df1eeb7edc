import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connection.js';
import { ArxivClient, ArxivRequestError, clientOptionsFrom } from '../ingest/arxiv/client.js';
import { isArxivId } from '../ingest/normalize.js';
import { papersWithoutThumbnails, saveThumbnail, type ThumbnailOutcome } from '../store/thumbnails.js';
import { ThumbnailRenderer } from './renderer.js';

/** A larger PDF is not downloaded (nor rendered): the paper keeps its title card. */
export const MAX_PDF_BYTES = 50 * 1024 * 1024;
/** Papers per run; at arXiv's pace (ARXIV_DELAY_MS) about two and a half minutes. */
export const THUMBNAILS_PER_RUN = 50;

export interface ThumbnailRun {
  rendered: number;
  failed: number;
}

export interface ThumbnailJobContext {
  db: Db;
  config: Config;
  logger: Logger;
  signal?: AbortSignal;
  /** Retries of each PDF request; in a worker job 0, as the worker reschedules a failed job itself. */
  retriesPerRequest?: number;
}

/**
 * Renders the first page of each featured paper that has no thumbnail yet, newest first: its PDF from
 * ARXIV_PDF_URL with the arXiv client's politeness (one request per ARXIV_DELAY_MS, User-Agent, retries,
 * timeouts), rendered on a thread of its own. A paper without a PDF (not on arXiv, 4xx), a PDF over 50 MB
 * and a file that does not render (broken, locked, hostile) are recorded as failed and keep their title
 * card; arXiv being unreachable or failing (5xx after the retries) fails the run, which is tried again later.
 */
export async function renderThumbnails(ctx: ThumbnailJobContext, limit = THUMBNAILS_PER_RUN): Promise<ThumbnailRun> {
  const ids = await papersWithoutThumbnails(ctx.db, limit);
  const run: ThumbnailRun = { rendered: 0, failed: 0 };
  if (ids.length === 0) return run;
  const options = clientOptionsFrom(ctx.config, ctx.logger, ctx.signal);
  const client = new ArxivClient({ ...options, retries: ctx.retriesPerRequest ?? options.retries });
  const renderer = new ThumbnailRenderer();
  try {
    for (const id of ids) {
      if (ctx.signal?.aborted) break;
      const outcome = await thumbnailOf(id, client, renderer, ctx.config.ARXIV_PDF_URL);
      await saveThumbnail(ctx.db, id, outcome);
      if ('image' in outcome) run.rendered++;
      else {
        run.failed++;
        ctx.logger.info({ paper: id, reason: outcome.error }, 'no thumbnail for this paper; it keeps its title card');
      }
    }
  } finally {
    await renderer.close();
  }
  return run;
}

async function thumbnailOf(
  id: string,
  client: ArxivClient,
  renderer: ThumbnailRenderer,
  pdfBase: string,
): Promise<ThumbnailOutcome> {
  if (!isArxivId(id)) return { error: 'no PDF: not an arXiv paper' };
  let response: Awaited<ReturnType<ArxivClient['getBytes']>>;
  try {
    response = await client.getBytes(`${pdfBase.replace(/\/+$/, '')}/${id}`, {
      accept: 'application/pdf',
      maxBytes: MAX_PDF_BYTES,
    });
  } catch (error) {
    if (error instanceof ArxivRequestError && error.failure === 'too-large')
      return { error: `the PDF is larger than ${MAX_PDF_BYTES / 1024 / 1024} MB` };
    throw error;
  }
  if (response.status !== 200) return { error: `no PDF: arXiv answered ${response.status}` };
  if (!response.body.subarray(0, 1024).includes('%PDF-')) return { error: 'not a PDF' };
  return renderer.render(response.body);
}
