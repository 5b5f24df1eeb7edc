import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { claimDueJobs, completeJob, failJob, type Job } from '../store/jobs.js';

export type JobHandler = (payload: unknown, job: Job) => Promise<void>;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  concurrency: number;
  pollMs?: number;
  leaseMs?: number;
  logger: Logger;
}

/** Retry delay after the n-th failed attempt: 30 s, 2 min, 8 min, … capped at 6 h. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 4 ** Math.max(0, attempt - 1), 6 * 3600_000);
}

/**
 * A bounded pool that leases due jobs and runs them with their handlers. `stop()` stops
 * claiming and waits for the jobs in flight, so a deploy never cuts a job in half.
 */
export class Worker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(private readonly db: Db, private readonly options: WorkerOptions) {}

  start(): void {
    this.stopping = false;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async poll(): Promise<void> {
    try {
      const ran = await this.runDue();
      this.schedule(ran > 0 ? 0 : (this.options.pollMs ?? 1000));
    } catch (error) {
      this.options.logger.error({ err: error }, 'job poll failed');
      this.schedule(this.options.pollMs ?? 1000);
    }
  }

  /** Claims and runs whatever is due, up to the free slots; resolves when those jobs finish. */
  async runDue(): Promise<number> {
    const free = this.options.concurrency - this.inFlight.size;
    if (free <= 0) return 0;
    const jobs = await claimDueJobs(this.db, this.id, free, this.options.leaseMs ?? 10 * 60_000);
    await Promise.all(jobs.map((job) => this.track(this.run(job))));
    return jobs.length;
  }

  /** Runs every due job until none is left (for `--once` CLI runs and tests). */
  async drain(): Promise<number> {
    let total = 0;
    for (let ran = await this.runDue(); ran > 0; ran = await this.runDue()) total += ran;
    return total;
  }

  private track(promise: Promise<void>): Promise<void> {
    this.inFlight.add(promise);
    return promise.finally(() => this.inFlight.delete(promise));
  }

  private async run(job: Job): Promise<void> {
    const handler = this.options.handlers[job.kind];
    const log = this.options.logger.child({ job: job.id, kind: job.kind, attempt: job.attempts });
    if (!handler) {
      await failJob(this.db, job.id, `no handler for job kind "${job.kind}"`, new Date(Date.now() + retryDelayMs(job.attempts)));
      log.error('no handler for job kind');
      return;
    }
    const started = Date.now();
    try {
      await handler(job.payload, job);
      await completeJob(this.db, job.id);
      log.info({ ms: Date.now() - started }, 'job done');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await failJob(this.db, job.id, message, new Date(Date.now() + retryDelayMs(job.attempts)));
      log.error({ err: error }, 'job failed');
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
  }
}
