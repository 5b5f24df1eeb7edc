import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { databaseUnavailable } from '../db/unavailable.js';
import { addHits, type BucketHits } from '../store/rate-limits.js';

/** How often hits counted in memory are added to the database's totals. */
export const HIT_FLUSH_MS = 1_000;
/** Buckets per upsert statement (three parameters each, well under either database's limit). */
const FLUSH_ROWS = 500;

interface WindowCount {
  bucket: string;
  windowStart: string;
  windowEndMs: number;
  /** The database's total at the last flush (this process's flushed hits and every other process's). */
  stored: number;
  /** Hits counted here since then. */
  unsaved: number;
  /** Hits counted here in this window, and how many of them the database has added. */
  counted: number;
  flushed: number;
  /** Whether `stored` has been read at all. */
  known: boolean;
}

/**
 * Rate-limit counters kept in memory and written to the database in batches, so a limited action
 * (a vote) costs no database write of its own, while processes sharing one PostgreSQL still share
 * their limits. The first hit on a bucket's window reads the database's total (one upsert); later
 * hits are counted here and flushed together every HIT_FLUSH_MS. Within one process the count is
 * exact; hits made by other processes show after their next flush, so across N processes a burst
 * can pass a limit by at most what the others admitted in the last second. Up to a second of hits
 * is lost if the process dies, which only errs towards letting a client through. For the same
 * reason a flush never fails a request: hits the database refuses are logged and dropped (this
 * process still counts them), so one bad row can never block every later flush. One set per app
 * context, shared by every route of the process.
 */
export class HitCounters {
  readonly #windows = new Map<string, WindowCount>();
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** Counts one hit on each bucket's window; returns each bucket's total so far, this hit included. */
  async hit(buckets: string[], window: { start: string; endMs: number }): Promise<Map<string, number>> {
    const counts = buckets.map((bucket) => {
      const key = `${bucket}\n${window.start}`;
      let count = this.#windows.get(key);
      if (!count) {
        const fresh = { stored: 0, unsaved: 0, counted: 0, flushed: 0, known: false };
        count = { bucket, windowStart: window.start, windowEndMs: window.endMs, ...fresh };
        this.#windows.set(key, count);
      }
      count.unsaved++;
      return { count, ordinal: ++count.counted };
    });
    if (counts.some((c) => !c.count.known)) await this.flush();
    else this.#scheduleFlush();
    // This hit's place among this process's hits, after every other process's as of the last flush: a
    // burst that waited for the same first flush gets 1, 2, 3… rather than its total each.
    return new Map(counts.map(({ count, ordinal }) => [count.bucket, count.stored - count.flushed + ordinal]));
  }

  /**
   * Adds every unsaved hit to the database (one statement per FLUSH_ROWS buckets) and learns the
   * totals; flushes run one at a time and never reject.
   */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write());
    return this.#flushing;
  }

  /** Writes what is unsaved and stops the timer (the app context closes its counters before the database). */
  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.flush();
  }

  #scheduleFlush(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.flush();
    }, HIT_FLUSH_MS);
    this.#timer.unref();
  }

  async #write(): Promise<void> {
    const now = Date.now();
    for (const [key, count] of this.#windows)
      if (count.windowEndMs <= now && count.unsaved === 0) this.#windows.delete(key);
    const pending = [...this.#windows.values()].filter((c) => c.unsaved > 0 || !c.known);
    if (pending.length === 0) return;
    const sent = pending.map((c) => c.unsaved);
    for (const c of pending) c.unsaved = 0;
    const rows = pending.map((c, i) => ({ bucket: c.bucket, windowStart: c.windowStart, hits: sent[i]! }));
    const totals = new Map<string, number>();
    for (let i = 0; i < rows.length; i += FLUSH_ROWS) {
      const stored = await this.#store(rows.slice(i, i + FLUSH_ROWS));
      for (const t of stored) totals.set(`${t.bucket}\n${t.windowStart}`, t.hits);
    }
    for (const [i, c] of pending.entries()) {
      // A window the database refused keeps its hits here, so this process still limits it.
      c.stored = totals.get(`${c.bucket}\n${c.windowStart}`) ?? c.stored + sent[i]!;
      c.flushed += sent[i]!;
      c.known = true;
    }
  }

  /** Stores a batch; if the database refuses it, stores its rows one by one and drops (and logs) those it refuses. */
  async #store(batch: BucketHits[]): Promise<BucketHits[]> {
    const whole = await this.#tryAdd(batch);
    if (!(whole instanceof Error)) return whole;
    if (databaseUnavailable(whole)) {
      // Row by row would only wait on the outage 500 times; this process keeps counting meanwhile.
      this.logger.warn(
        { droppedCount: batch.length, error: whole.message },
        'rate-limit hits not stored: database away',
      );
      return [];
    }
    const stored: BucketHits[] = [];
    const dropped: { bucket: string; error: string }[] = [];
    for (const row of batch) {
      const alone = batch.length === 1 ? whole : await this.#tryAdd([row]);
      if (!(alone instanceof Error)) stored.push(...alone);
      else dropped.push({ bucket: JSON.stringify(row.bucket).slice(0, 200), error: alone.message });
    }
    const message = 'rate-limit hits the database refused were dropped';
    this.logger.warn({ droppedCount: dropped.length, dropped: dropped.slice(0, 10) }, message);
    return stored;
  }

  #tryAdd(rows: BucketHits[]): Promise<BucketHits[] | Error> {
    return addHits(this.db, rows).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    );
  }
}
