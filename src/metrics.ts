import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Due jobs of one kind not yet finished, as the queue holds them at a scrape. */
export interface QueuedKind {
  kind: string;
  queued: number;
  /** Seconds since the longest-waiting of them came due. */
  oldestAgeSeconds: number;
}

/** How a database pool's connections are used at a scrape. */
export interface PoolUse {
  pool: string;
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

/** Where the figures that are read at each scrape come from (the queue and pools are the database's). */
export interface MetricsSources {
  jobQueue(): Promise<QueuedKind[]>;
  pools(): PoolUse[];
}

/**
 * One process's Prometheus metrics, in a registry of its own (one per app context, so a test's
 * second app starts from zero). Counters count what this process did; queue and pool gauges are
 * read when scraped. Every label takes values from a closed set (route patterns, job kinds), so a
 * stranger cannot grow the series.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'dailypapers_http_requests_total',
    help: 'HTTP requests answered, by route pattern, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: 'dailypapers_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: 'dailypapers_jobs_finished_total',
    help: 'Jobs this process ran, by kind and outcome (done, failed, released at shutdown, lost to a lease takeover)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly harvestedRecords = new Counter({
    name: 'dailypapers_harvested_records_total',
    help: 'arXiv records harvested and stored',
    registers: [this.registry],
  });
  readonly digestsPlanned = new Counter({
    name: 'dailypapers_digests_planned_total',
    help: 'Digest planning runs finished, by frequency',
    labelNames: ['frequency'] as const,
    registers: [this.registry],
  });
  readonly mail = new Counter({
    name: 'dailypapers_mail_total',
    help: 'Mail handed to the SMTP server or given up on, by kind (login links, outbox) and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly embeddedPapers = new Counter({
    name: 'dailypapers_embedded_papers_total',
    help: 'Paper vectors computed for semantic search',
    registers: [this.registry],
  });
  private readonly queued = new Gauge({
    name: 'dailypapers_jobs_queued',
    help: 'Jobs due and not yet finished, by kind (the whole queue, not only this process)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly oldestQueued = new Gauge({
    name: 'dailypapers_jobs_oldest_age_seconds',
    help: 'How long the longest-waiting due job of each kind has been due',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly poolConnections = new Gauge({
    name: 'dailypapers_db_pool_connections',
    help: 'Database pool connections by pool and state (PostgreSQL; SQLite has no pool)',
    labelNames: ['pool', 'state'] as const,
    registers: [this.registry],
  });

  constructor(private readonly sources: MetricsSources) {}

  /** Counts one answered request; `route` is the matched pattern, never the raw URL. */
  observeRequest(route: string, method: string, status: number, seconds: number): void {
    this.requests.inc({ route, method, status: String(status) });
    this.requestSeconds.observe({ route, method }, seconds);
  }

  /** The exposition text (Prometheus text format 0.0.4), the queue and pools read now. */
  async text(): Promise<string> {
    const queue = await this.sources.jobQueue();
    this.queued.reset();
    this.oldestQueued.reset();
    for (const { kind, queued, oldestAgeSeconds } of queue) {
      this.queued.set({ kind }, queued);
      this.oldestQueued.set({ kind }, oldestAgeSeconds);
    }
    this.poolConnections.reset();
    for (const { pool, total, idle, waiting } of this.sources.pools()) {
      this.poolConnections.set({ pool, state: 'in_use' }, total - idle);
      this.poolConnections.set({ pool, state: 'idle' }, idle);
      this.poolConnections.set({ pool, state: 'waiting' }, waiting);
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
