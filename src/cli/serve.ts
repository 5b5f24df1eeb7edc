import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { SessionLock } from '../db/advisory-lock.js';
import type { Db } from '../db/connection.js';
import type { Leadership } from '../jobs/scheduler.js';
import { migrate } from '../db/migrations/index.js';
import { startMetricsServer, type MetricsServer } from '../http/metrics-server.js';
import { importDemoPapersIfEmpty } from '../ingest/demo.js';
import type { BadLine } from '../ingest/jsonl.js';
import { openCliContext, readySchema, renderCommentsMissingHtml } from './context.js';

interface ServeOptions {
  migrate?: boolean;
  demo?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the web server, background worker and scheduler (choose with SERVICES=web,worker,scheduler)')
    .option('--migrate', 'apply pending migrations before starting')
    .option(
      '--demo',
      'on a database without papers, import the demo papers, featured over the last 7 days (what `npm start` does)',
    )
    .action(async (options: ServeOptions) => {
      const ctx = await openCliContext({ serving: true });
      const { config, db, logger } = ctx;
      // The server's modules (Fastify, every route, the jobs) load only when serving, so other commands start fast.
      const [{ buildApp }, { Worker }, { laneSlots }, { Scheduler }, { jobHandlers, schedules }] = await Promise.all([
        import('../app/server.js'),
        import('../jobs/worker.js'),
        import('../jobs/lanes.js'),
        import('../jobs/scheduler.js'),
        import('../jobs/tasks.js'),
      ]);
      const services = new Set(config.SERVICES);
      if (config.SMTP_URL === undefined) {
        logger.warn(
          'SMTP_URL is not set: login links and subscription confirmation and manage links go to this log ' +
            'instead of by mail, and no digests are sent',
        );
      }
      let app: FastifyInstance | null = null;
      let metricsServer: MetricsServer | null = null;
      try {
        if (options.migrate) await migrate(db);
        await readySchema(ctx);
        await renderCommentsMissingHtml(ctx);
        if (options.demo) {
          const today = new Date().toISOString().slice(0, 10);
          const onBadLine = (bad: BadLine) => logger.warn(bad, 'skipped a bad line of the demo papers');
          const demo = await importDemoPapersIfEmpty(db, { today, onBadLine });
          if (demo) logger.info(demo, `imported ${demo.papers} demo papers, featured from ${demo.from} to ${demo.to}`);
        }
        if (services.has('web')) {
          // Requests use the web pool; every service is the context's.
          app = await buildApp({ ...ctx, db: ctx.webDb });
          const address = await app.listen({ port: config.PORT, host: config.HOST });
          logger.info(
            { address, database: `${db.dialect}: ${db.location}` },
            `dailypapers is serving on ${config.BASE_URL}`,
          );
          // Loads and checks the saved vector index now (or rebuilds it) rather than on the first semantic search.
          void ctx.vectorIndexes
            .active(ctx.webDb)
            .then(
              (index) => index && logger.info({ vectors: index.size(), model: index.model.id }, 'vector index ready'),
            )
            .catch((error: unknown) =>
              logger.warn({ err: error }, 'vector index not ready; semantic search will retry'),
            );
        }
        if (config.METRICS_PORT !== undefined) {
          metricsServer = await startMetricsServer(ctx, config.METRICS_PORT, config.HOST);
          logger.info({ address: metricsServer.url }, 'metrics and health served on METRICS_PORT');
        }
      } catch (error) {
        await metricsServer?.close();
        await app?.close();
        await ctx.close();
        throw error;
      }
      const worker = services.has('worker')
        ? new Worker(db, {
            handlers: jobHandlers(ctx),
            lanes: laneSlots(config),
            leaseMs: config.JOB_LEASE_MS,
            metrics: ctx.metrics,
            logger: logger.child({ component: 'worker' }),
          })
        : null;
      const schedulerLog = logger.child({ component: 'scheduler' });
      const scheduler =
        services.has('scheduler') && config.SCHEDULER_ENABLED
          ? new Scheduler(db, schedules(config), schedulerLog, SCHEDULER_TICK_MS, schedulerLeadership(db, schedulerLog))
          : null;
      worker?.start();
      scheduler?.start();
      logger.info({ services: [...services] }, 'services started');

      let stopping = false;
      // Stops taking requests and jobs, lets those in flight finish until SHUTDOWN_TIMEOUT_MS, then cuts the
      // connections still open and gives the unfinished jobs back to the queue (their leases released).
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        const graceMs = config.SHUTDOWN_TIMEOUT_MS;
        logger.info({ signal, graceMs }, 'shutting down: finishing requests and jobs in flight');
        await Promise.all([
          scheduler?.stop(),
          app && closeWithin(app, graceMs),
          worker?.stop(graceMs),
          metricsServer?.close(),
        ]);
        await ctx.close();
        logger.info('shut down');
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}

const SCHEDULER_TICK_MS = 30_000;
/** The advisory lock key the schedulers of one database contend for ("dpsc"). */
const SCHEDULER_LOCK_KEY = 0x64707363;

/** On PostgreSQL one scheduler of many leads, through an advisory lock; SQLite serves from one host and needs none. */
function schedulerLeadership(db: Db, logger: Logger): Leadership | null {
  const { openSession } = db;
  if (!openSession) return null;
  return new SessionLock({ openSession }, SCHEDULER_LOCK_KEY, (error) =>
    logger.warn({ err: error }, 'lost the scheduler lock session; another scheduler may lead now'),
  );
}

/** Closes the server: no new connections, requests in flight answered; past `graceMs` the rest are cut. */
async function closeWithin(app: FastifyInstance, graceMs: number): Promise<void> {
  const cut = setTimeout(() => {
    app.log.warn('requests still in flight at the shutdown deadline; closing their connections');
    app.server.closeAllConnections();
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}
