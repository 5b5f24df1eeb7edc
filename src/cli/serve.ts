import type { Command } from 'commander';
import { migrate, schemaStatus } from '../db/migrations/index.js';
import { Scheduler } from '../jobs/scheduler.js';
import { jobHandlers, schedules } from '../jobs/tasks.js';
import { Worker } from '../jobs/worker.js';
import { buildApp } from '../web/app.js';
import { openCliContext } from './context.js';

interface ServeOptions {
  migrate?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the web server, background worker and scheduler (choose with SERVICES=web,worker,scheduler)')
    .option('--migrate', 'apply pending migrations before starting')
    .action(async (options: ServeOptions) => {
      const ctx = await openCliContext();
      const { config, db, logger } = ctx;
      if (options.migrate) await migrate(db);
      const status = await schemaStatus(db);
      if (status.pending.length > 0) {
        logger.error({ current: status.current, latest: status.latest }, 'database schema is behind; run `dailypapers migrate` first');
        await db.close();
        process.exitCode = 1;
        return;
      }

      const services = new Set(config.SERVICES);
      const app = services.has('web') ? await buildApp(ctx) : null;
      const worker = services.has('worker')
        ? new Worker(db, { handlers: jobHandlers(ctx), concurrency: config.WORKER_CONCURRENCY, logger: logger.child({ component: 'worker' }) })
        : null;
      const scheduler = services.has('scheduler') && config.SCHEDULER_ENABLED ? new Scheduler(db, schedules(config), logger.child({ component: 'scheduler' })) : null;

      if (app) {
        const address = await app.listen({ port: config.PORT, host: config.HOST });
        logger.info({ address, database: `${db.dialect}: ${db.location}` }, `dailypapers is serving on ${config.BASE_URL}`);
      }
      worker?.start();
      scheduler?.start();

      let stopping = false;
      const shutdown = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        scheduler?.stop();
        await app?.close();
        await worker?.stop();
        await db.close();
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    });
}
