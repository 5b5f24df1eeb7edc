import { startTypeScriptWorker, ThreadClient } from '../thread.js';
import type { ThumbnailOutcome } from '../store/thumbnails.js';

/** A render that takes longer is given up (the thread is ended and started afresh for the next). */
export const RENDER_TIMEOUT_MS = 20_000;
/** The render thread's JavaScript heap: a parsed PDF lives there; a file that needs more fails instead. */
const RENDER_HEAP_MB = 256;

/**
 * Renders first pages on one worker thread with a capped heap, one file at a time. A render that
 * runs past RENDER_TIMEOUT_MS, or a thread that dies (out of memory), ends that render as a
 * failure and the next call starts a fresh thread: no PDF can hang or crash the worker process.
 */
export class ThumbnailRenderer {
  private client = this.newClient();

  private newClient(): ThreadClient {
    return new ThreadClient(
      () =>
        startTypeScriptWorker(new URL('./render-thread.ts', import.meta.url), {
          resourceLimits: { maxOldGenerationSizeMb: RENDER_HEAP_MB, maxYoungGenerationSizeMb: 32 },
          preload: ['pdfjs-dist/legacy/build/pdf.mjs', 'pdfjs-dist/legacy/build/pdf.worker.mjs', '@napi-rs/canvas'],
        }),
      'thumbnail renderer',
    );
  }

  async render(pdf: Buffer, timeoutMs = RENDER_TIMEOUT_MS): Promise<ThumbnailOutcome> {
    // Starting a thread (loading pdfjs) can take seconds on a busy machine: not counted against the file.
    await this.client.call('ready');
    const bytes = new Uint8Array(pdf);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const answer = await Promise.race([
        this.client.call<Uint8Array | { error: string }>('render', [bytes], [bytes.buffer]),
        timeout,
      ]);
      if (answer === 'timeout') {
        await this.restart();
        return { error: `rendering took longer than ${timeoutMs} ms` };
      }
      return answer instanceof Uint8Array ? { image: Buffer.from(answer) } : answer;
    } catch (error) {
      // The thread died under this file (its heap limit, a crash in the PDF code): a fresh one serves the next.
      await this.restart();
      return { error: `rendering failed: ${(error as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
  }

  private async restart(): Promise<void> {
    const old = this.client;
    this.client = this.newClient();
    await old.close();
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
