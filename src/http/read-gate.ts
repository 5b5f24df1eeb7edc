import { dialectOf } from '../db/dialect.js';
import { HttpError } from '../errors.js';
import type { RouteModule } from '../app/server.js';
import { readKind } from './read-limits.js';

/** Requests beyond this many waiting are turned away at once, rather than held for seconds. */
const MAX_WAITING = 100;

/** Admits `concurrency` holders at a time, first come first served; the next one in line starts on a later turn of the event loop. */
export class TurnTaker {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
  ) {}

  /** Resolves with a release function once admitted; null when the line is full. */
  enter(): Promise<() => void> | null {
    if (this.running < this.concurrency && this.waiting.length === 0) return Promise.resolve(this.admit());
    if (this.waiting.length >= this.maxWaiting) return null;
    return new Promise((resolve) => this.waiting.push(() => resolve(this.admit())));
  }

  private admit(): () => void {
    this.running++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      // setImmediate, not now: requests that arrived meanwhile (a page, a vote) get the event loop first.
      setImmediate(() => this.next());
    };
  }

  private next(): void {
    if (this.running < this.concurrency) this.waiting.shift()?.();
  }
}

/**
 * Searches, JSON API and feed requests, whose cost the caller chooses, take turns: READ_CONCURRENCY run at once and
 * the rest wait, so twenty of them arriving together cannot take every database connection the pages need.
 * Signed-in members take turns too: a token can be scripted as easily.
 */
export const readGate: RouteModule = (app, { config, db }) => {
  const concurrency = config.READ_CONCURRENCY ?? dialectOf(db).defaultReadConcurrency;
  if (concurrency === null) return;
  const turns = new TurnTaker(concurrency, MAX_WAITING);
  app.addHook('onRequest', async (request, reply) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !readKind(request.url)) return;
    const admitted = turns.enter();
    if (!admitted) throw new HttpError(503, 'The server is busy. Try again in a second.', { retryAfterSeconds: 1 });
    const release = await admitted;
    // 'close' comes after the answer is sent and when the client goes away first, whichever happens.
    reply.raw.once('close', release);
    if (reply.raw.destroyed) release();
  });
};
