import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { enqueueJob } from '../store/jobs.js';

/** A recurring task: when it is due, which payload it gets, and the key that makes planning idempotent. */
export interface Schedule {
  kind: string;
  /** Returns the job to plan at `now`, or null when nothing is due. The unique key dedupes across ticks and processes. */
  due(now: Date): { uniqueKey: string; payload: unknown } | null;
}

/** Due once a day at or after `hh:mm` UTC, keyed by the day; the payload names the day that just ended. */
export function dailyAt(
  kind: string,
  time: string,
  payload: (day: string, previousDay: string) => unknown = (_d, previousDay) => ({ day: previousDay }),
): Schedule {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return {
    kind,
    due(now) {
      const startOfSlot = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hours, minutes);
      if (now.getTime() < startOfSlot) return null;
      const day = now.toISOString().slice(0, 10);
      const previousDay = new Date(startOfSlot - 86_400_000).toISOString().slice(0, 10);
      return { uniqueKey: `${kind}:${day}`, payload: payload(day, previousDay) };
    },
  };
}

/** Due every `minutes` minutes, keyed by the interval it falls in. */
export function every(kind: string, minutes: number, payload: unknown = {}): Schedule {
  return {
    kind,
    due(now) {
      const slot = Math.floor(now.getTime() / (minutes * 60_000));
      return { uniqueKey: `${kind}:every${minutes}m:${slot}`, payload };
    },
  };
}

/** Who may plan: one scheduler of several (an advisory lock on PostgreSQL, db/advisory-lock.ts). */
export interface Leadership {
  /** Whether this scheduler leads now, taking the lead if nobody holds it. */
  hold(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Plans due jobs on each tick. With a leadership, only the scheduler that holds it plans, and another
 * takes over at its next tick once the leader is gone; planning is keyed besides, so even two
 * schedulers planning at once (SQLite, or a lead changing hands mid-tick) plan each job once.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private leading = false;

  constructor(
    private readonly db: Db,
    private readonly schedules: Schedule[],
    private readonly logger: Logger,
    private readonly tickMs = 30_000,
    private readonly leadership: Leadership | null = null,
  ) {}

  async tick(now = new Date()): Promise<number> {
    if (this.leadership) {
      const leading = await this.leadership.hold();
      if (leading !== this.leading) {
        this.logger.info(leading ? 'this scheduler leads: it plans the recurring jobs' : 'another scheduler leads');
      }
      this.leading = leading;
      if (!leading) return 0;
    }
    let planned = 0;
    for (const schedule of this.schedules) {
      const due = schedule.due(now);
      if (due && (await enqueueJob(this.db, schedule.kind, due.payload, { uniqueKey: due.uniqueKey }))) {
        planned++;
        this.logger.info({ kind: schedule.kind, key: due.uniqueKey }, 'job planned');
      }
    }
    return planned;
  }

  start(): void {
    const loop = async () => {
      try {
        await this.tick();
      } catch (error) {
        this.logger.error({ err: error }, 'scheduler tick failed');
      }
      this.timer = setTimeout(loop, this.tickMs);
    };
    void loop();
  }

  /** Stops ticking and gives up the lead, so another scheduler takes it at its next tick. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.leadership?.close();
  }
}
