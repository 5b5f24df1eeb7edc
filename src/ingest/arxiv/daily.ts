import { z } from 'zod';
import { harvestSets, type HarvestDeps, type SetsHarvest } from './harvest.js';

const payloadSchema = z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

/**
 * The daily cycle: harvests one day for every configured set and features that day's new
 * submissions on its feed. Throws when any set failed, so the job is retried; sets already
 * completed are skipped on the retry by their checkpoints.
 */
export async function ingestArxivDay(deps: HarvestDeps, payload: unknown): Promise<SetsHarvest> {
  const { day } = payloadSchema.parse(payload);
  const result = await harvestSets(deps, deps.config.ARXIV_SETS, { from: day, until: day }, { feature: true });
  if (result.failures.length > 0) {
    throw new Error(
      `arXiv ingest of ${day} failed for ${result.failures.length} of ${deps.config.ARXIV_SETS.length} sets: ${result.failures.map((f) => f.error.message).join('; ')}`,
    );
  }
  return result;
}
