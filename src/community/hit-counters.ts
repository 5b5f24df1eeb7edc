import type { Db } from '../db/connection.js';
import { addHits } from '../store/rate-limits.js';

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
 * is lost if the process dies, which only errs towards letting a client through.
 */
export class HitCounters {
  readonly #windows = new Map<string, WindowCount>();
  #flushing: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Db) {}

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

  /** Adds every unsaved hit to the database (one statement) and learns the totals; flushes run one at a time. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#write());
    return this.#flushing;
  }

  #scheduleFlush(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      // A failed flush keeps its hits for the next one; the error surfaces on the next first hit.
      this.flush().catch(() => {});
    }, HIT_FLUSH_MS);
    this.#timer.unref();
  }

  async #write(): Promise<void> {
    const now = Date.now();
    for (const [key, count] of this.#windows) if (count.windowEndMs <= now && count.unsaved === 0) this.#windows.delete(key);
    const pending = [...this.#windows.values()].filter((c) => c.unsaved > 0 || !c.known);
    if (pending.length === 0) return;
    const sent = pending.map((c) => c.unsaved);
    for (const c of pending) c.unsaved = 0;
    try {
      const totals = new Map<string, number>();
      for (let i = 0; i < pending.length; i += FLUSH_ROWS) {
        const batch = pending.slice(i, i + FLUSH_ROWS).map((c, j) => ({ bucket: c.bucket, windowStart: c.windowStart, hits: sent[i + j]! }));
        for (const t of await addHits(this.db, batch)) totals.set(`${t.bucket}\n${t.windowStart}`, t.hits);
      }
      pending.forEach((c, i) => {
        c.stored = totals.get(`${c.bucket}\n${c.windowStart}`)!;
        c.flushed += sent[i]!;
        c.known = true;
      });
    } catch (error) {
      for (const [i, c] of pending.entries()) c.unsaved += sent[i]!;
      this.#scheduleFlush();
      throw error;
    }
  }
}

/** One set of counters per database, shared by every route of the process that uses it. */
const countersByDatabase = new WeakMap<Db['kysely'], HitCounters>();

export function hitCountersFor(db: Db): HitCounters {
  let counters = countersByDatabase.get(db.kysely);
  if (!counters) {
    counters = new HitCounters(db);
    countersByDatabase.set(db.kysely, counters);
  }
  return counters;
}
