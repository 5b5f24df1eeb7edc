import type { Config } from '../config/index.js';
import type { CliContext } from '../cli/context.js';
import { digestJobHandlers } from '../digest/jobs.js';
import { digestSchedules } from '../digest/schedule.js';
import type { Schedule } from './scheduler.js';
import type { JobHandler } from './worker.js';

/** Every background task by kind. Each domain adds its handler here; each is also runnable once from the CLI. */
export function jobHandlers(ctx: CliContext): Record<string, JobHandler> {
  return { ...digestJobHandlers(ctx) };
}

/** The recurring plan: what the scheduler enqueues and when. */
export function schedules(config: Config): Schedule[] {
  return [...digestSchedules(config)];
}
