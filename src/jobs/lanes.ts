import type { Config } from '../config/index.js';
import type { KindFilter } from '../store/jobs.js';

/**
 * Jobs run in lanes, each with its own slots, so a long job (a harvest waiting on arXiv, an
 * embedding run) never holds the slot that mail a person is waiting for needs.
 */
export type Lane = 'mail' | 'default' | 'heavy';

/** The kinds outside the default lane. */
const LANE_OF_KIND: Record<string, Exclude<Lane, 'default'>> = {
  'digest.account': 'mail',
  'ingest.arxiv': 'heavy',
  'search.embed': 'heavy',
  'enrich.papers': 'heavy',
  // Up to a hundred chat requests, each of which may wait on retries.
  'enrich.summaries': 'heavy',
  'thumbnails.render': 'heavy',
};

export function laneOf(kind: string): Lane {
  return LANE_OF_KIND[kind] ?? 'default';
}

/** Which job kinds a lane claims: those named for it, or (the default lane) every kind not named for another. */
export function laneFilter(lane: Lane): KindFilter {
  const named = Object.keys(LANE_OF_KIND);
  return lane === 'default' ? { exceptKinds: named } : { kinds: named.filter((kind) => LANE_OF_KIND[kind] === lane) };
}

/** Slots per lane, as configured. */
export function laneSlots(
  config: Pick<Config, 'WORKER_CONCURRENCY' | 'WORKER_MAIL_CONCURRENCY' | 'WORKER_HEAVY_CONCURRENCY'>,
): Record<Lane, number> {
  return {
    mail: config.WORKER_MAIL_CONCURRENCY,
    default: config.WORKER_CONCURRENCY,
    heavy: config.WORKER_HEAVY_CONCURRENCY,
  };
}
