import type { Config } from '../config/index.js';
import type { CliContext } from '../cli/context.js';
import type { Schedule } from './scheduler.js';
import type { JobHandler } from './worker.js';

/** Every background task by kind. Each domain adds its handler here; each is also runnable once from the CLI. */
export function jobHandlers(_ctx: CliContext): Record<string, JobHandler> {
  return {};
}

/** The recurring plan: what the scheduler enqueues and when. */
export function schedules(_config: Config): Schedule[] {
  return [];
}
