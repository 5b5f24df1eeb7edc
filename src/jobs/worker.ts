import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import {
  claimDueJobs,
  completeJob,
  failJob,
  releaseJob,
  renewJobLeases,
  retryDelayMs,
  type Job,
  type KindFilter,
} from '../store/jobs.js';
import { laneFilter, type Lane } from './lanes.js';
import type { Metrics } from '../metrics.js';

/** How long a claimed job is leased, renewed while it runs: a dead worker's jobs are run again after this. */
export const DEFAULT_LEASE_MS = 60_000;

/** Runs one job. `signal` aborts on shutdown: a handler stops its waits and requests, and the job is given back. */
export type JobHandler = (payload: unknown, job: Job, signal: AbortSignal) => Promise<void>;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  /** Slots per lane (see lanes.ts); a lane with 0 slots is not run by this worker. */
  lanes?: Partial<Record<Lane, number>>;
  /** Without lanes: one pool of this many slots for every kind (CLI runs and tests). */
  concurrency?: number;
  pollMs?: number;
  leaseMs?: number;
  logger: Logger;
  /** Counts each job's outcome by kind. */
  metrics?: Pick<Metrics, 'jobs'>;
}

interface LaneState {
  name: string;
  slots: number;
  filter: KindFilter;
  running: Set<Promise<void>>;
}

/**
 * A bounded pool that leases due jobs and runs them with their handlers, lane by lane: each
 * lane claims only its kinds into its own slots, so one lane's long jobs never delay another's.
 * A failed job is rescheduled with backoff (its `run_at`), never retried asleep in a slot.
 * `stop()` stops claiming, lets the jobs in flight finish for a while, then aborts the rest and gives them back.
 */
export class Worker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly lanes: LaneState[];
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  /** Set by stop(): nothing more is claimed, and a job claimed meanwhile is given back. */
  private stopping = false;
  private polling: Promise<void> | null = null;
  private pollAgain = false;
  /** Jobs this worker holds now, whose leases the heartbeat renews. */
  private readonly held = new Set<number>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: WorkerOptions,
  ) {
    const lanes = options.lanes
      ? Object.entries(options.lanes).map(([name, slots]) => ({
          name,
          slots: slots ?? 0,
          filter: laneFilter(name as Lane),
        }))
      : [{ name: 'all', slots: options.concurrency ?? 1, filter: {} }];
    this.lanes = lanes.filter((lane) => lane.slots > 0).map((lane) => ({ ...lane, running: new Set<Promise<void>>() }));
  }

  start(): void {
    this.started = true;
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (!this.started || this.stopping) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  /** One poll at a time; a poll asked for meanwhile (a slot came free) runs right after it. */
  private async poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = (async () => {
      try {
        await this.runDue();
      } catch (error) {
        this.options.logger.error({ err: error }, 'job poll failed');
      }
    })();
    await this.polling;
    this.polling = null;
    const again = this.pollAgain;
    this.pollAgain = false;
    this.schedule(again ? 0 : (this.options.pollMs ?? 1000));
  }

  /** Claims whatever is due into each lane's free slots and starts it; resolves with how many jobs started. */
  async runDue(): Promise<number> {
    let started = 0;
    for (const lane of this.lanes) {
      const free = lane.slots - lane.running.size;
      if (free <= 0 || this.stopping) continue;
      const jobs = await claimDueJobs(this.db, this.id, free, this.leaseMs(), new Date(), lane.filter);
      for (const job of jobs) {
        this.hold(job.id);
        const running: Promise<void> = this.run(job).finally(() => {
          this.release(job.id);
          lane.running.delete(running);
          this.schedule(0);
        });
        lane.running.add(running);
      }
      started += jobs.length;
    }
    return started;
  }

  private leaseMs(): number {
    return this.options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /**
   * A job runs as long as it needs: while this worker holds it, its lease is renewed every third of
   * the lease, so only a worker that died (or lost the database for a whole lease) lets it go to another.
   */
  private hold(id: number): void {
    this.held.add(id);
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      renewJobLeases(this.db, this.id, [...this.held], this.leaseMs()).catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'could not renew job leases'),
      );
    }, this.leaseMs() / 3);
    this.heartbeat.unref();
  }

  private release(id: number): void {
    this.held.delete(id);
    if (this.held.size > 0 || !this.heartbeat) return;
    clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private running(): Promise<void>[] {
    return this.lanes.flatMap((lane) => [...lane.running]);
  }

  /** Runs every due job until none is left (for `--once` CLI runs and tests). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const started = await this.runDue();
      total += started;
      const running = this.running();
      if (started === 0 && running.length === 0) return total;
      if (running.length > 0) await Promise.race(running);
    }
  }

  /**
   * Runs one job and records its outcome; never rejects: a job's bookkeeping that fails (the database
   * away) is logged, and its lease brings the job back, so a started job cannot end the process.
   */
  private async run(job: Job): Promise<void> {
    const log = this.options.logger.child({ job: job.id, kind: job.kind, attempt: job.attempts });
    try {
      await this.runAndRecord(job, log);
    } catch (error) {
      log.error({ err: error }, 'could not record a job outcome; its lease brings it back');
    }
  }

  private count(job: Job, outcome: 'done' | 'failed' | 'released' | 'taken_over'): void {
    this.options.metrics?.jobs.inc({ kind: job.kind, outcome });
  }

  private async runAndRecord(job: Job, log: Logger): Promise<void> {
    // Claimed by a poll that was in flight when stop() was called: give it back untouched.
    if (this.stopping) {
      if (await releaseJob(this.db, job.id, this.id)) this.count(job, 'released');
      return;
    }
    const handler = this.options.handlers[job.kind];
    if (!handler) {
      await failJob(
        this.db,
        job.id,
        this.id,
        `no handler for job kind "${job.kind}"`,
        new Date(Date.now() + retryDelayMs(job.attempts)),
      );
      this.count(job, 'failed');
      log.error('no handler for job kind');
      return;
    }
    const started = Date.now();
    try {
      await handler(job.payload, job, this.abort.signal);
      if (await completeJob(this.db, job.id, this.id)) {
        this.count(job, 'done');
        log.info({ ms: Date.now() - started }, 'job done');
      } else {
        this.count(job, 'taken_over');
        log.warn({ ms: Date.now() - started }, 'job finished after its lease passed to another worker; not recorded');
      }
    } catch (error) {
      if (this.abort.signal.aborted) {
        if (await releaseJob(this.db, job.id, this.id)) this.count(job, 'released');
        log.info('job interrupted by shutdown; it runs again at the next start');
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      const retryAt = new Date(Date.now() + retryDelayMs(job.attempts));
      if (!(await failJob(this.db, job.id, this.id, message, retryAt))) {
        this.count(job, 'taken_over');
        log.warn({ error: message }, 'job failed after its lease passed to another worker; not recorded');
        return;
      }
      this.count(job, 'failed');
      // A retry is routine (arXiv away, the network down): one line. The trace is logged once, when it gives up.
      if (job.attempts < job.maxAttempts) log.warn({ error: message, retryAt }, 'job failed; rescheduled');
      else log.error({ err: error }, 'job failed; giving up after its last attempt');
    }
  }

  /**
   * Stops claiming; the jobs in flight may finish for up to `graceMs`, then the rest are aborted and
   * given back to the queue. Resolves once each is finished or given back.
   */
  async stop(graceMs = 0): Promise<void> {
    this.started = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    const settled = Promise.allSettled(this.running());
    if (graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    }
    this.abort.abort();
    await settled;
  }
}
