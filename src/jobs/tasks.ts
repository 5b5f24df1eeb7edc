import type { Config } from '../config/index.js';
import type { CliContext } from '../cli/context.js';
import { ingestArxivDay } from '../ingest/arxiv/daily.js';
import { dailyAt, type Schedule } from './scheduler.js';
import type { JobHandler } from './worker.js';

/** Every background task by kind. Each domain adds its handler here; each is also runnable once from the CLI. */
export function jobHandlers(ctx: CliContext): Record<string, JobHandler> {
  return {
    'ingest.arxiv': async (payload) => void (await ingestArxivDay(ctx, payload)),
  };
}

/** The recurring plan: what the scheduler enqueues and when. */
export function schedules(config: Config): Schedule[] {
  const plan: Schedule[] = [];
  // Harvests the day that just ended (UTC) for ARXIV_SETS.
  if (config.ARXIV_INGEST_ENABLED) plan.push(dailyAt('ingest.arxiv', config.ARXIV_HARVEST_TIME));
  return plan;
}
