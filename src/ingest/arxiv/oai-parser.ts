import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from '../../thread.js';
import type { ArxivResponse } from './client.js';
import { OaiError, parseListRecords, type OaiPage } from './oai.js';
import { ArxivFormatError } from './xml.js';

/**
 * Answers at least this long (in characters) are parsed on a worker thread. A full arXiv page of
 * 1,000 records is 2–3 MB and takes a few hundred milliseconds to validate, parse and normalise;
 * off the main thread that overlaps with storing the previous page. A small answer (a daily
 * listing's last page, an error) is parsed at once, without starting a thread.
 */
export const OFF_THREAD_MIN_CHARS = 256 * 1024;

/** A parse error as it crosses the thread boundary, so the caller gets the same error class. */
export type ParseFailure =
  | { kind: 'oai'; code: string; problem: string; url: string }
  | { kind: 'format'; problem: string; url: string }
  | { kind: 'other'; message: string };

export function describeParseFailure(error: unknown): ParseFailure {
  if (error instanceof OaiError) return { kind: 'oai', code: error.code, problem: error.problem, url: error.url };
  if (error instanceof ArxivFormatError) return { kind: 'format', problem: error.problem, url: error.url };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

function errorFrom(failure: ParseFailure): Error {
  if (failure.kind === 'oai') return new OaiError(failure.code, failure.problem, failure.url);
  if (failure.kind === 'format') return new ArxivFormatError(failure.problem, failure.url);
  return new Error(`OAI-PMH parser thread failed: ${failure.message}`);
}

type Reply = { id: number; page: OaiPage } | { id: number; failure: ParseFailure };

/**
 * Parses ListRecords answers like parseListRecords, large ones on one worker thread started on
 * first need. Answers come back in the order asked. `close` stops the thread.
 */
export class OaiPageParser {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (page: OaiPage) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  async parse(response: ArxivResponse): Promise<OaiPage> {
    if (response.body.length < OFF_THREAD_MIN_CHARS) return parseListRecords(response);
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<OaiPage>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, response });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = startTypeScriptWorker(new URL('./oai-worker.ts', import.meta.url));
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if ('page' in reply) waiter?.resolve(reply.page);
      else waiter?.reject(errorFrom(reply.failure));
    });
    const failAll = (error: Error) => {
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
      if (this.worker === worker) this.worker = null;
    };
    worker.on('error', (error) =>
      failAll(new Error(`OAI-PMH parser thread failed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', (code) => failAll(new Error(`OAI-PMH parser thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
