import type { Config } from '../config/index.js';
import type { AppContext } from '../app/context.js';
import { pruneRateLimits } from '../community/rate-limit.js';
import { digestJobHandlers } from '../digest/jobs.js';
import { digestSchedules } from '../digest/schedule.js';
import { enrichOffThread } from '../enrich/job.js';
import { chatSettingsFrom } from '../enrich/llm.js';
import { summarizeWithLlm } from '../enrich/llm-summaries.js';
import { refreshStars, starsSettingsFrom } from '../enrich/stars.js';
import { ingestArxivDay } from '../ingest/arxiv/daily.js';
import { recomputeTrendingScores } from '../rank/recompute.js';
import { embedOffThread } from '../search/embed-job.js';
import { pruneExpiredSessions } from '../store/sessions.js';
import { renderThumbnails } from '../thumbnails/job.js';
import { dailyAt, every, type Schedule } from './scheduler.js';
import type { JobHandler } from './worker.js';

/** Every background task by kind. Each domain adds its handler here; each is also runnable once from the CLI. */
export function jobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    // No retry asleep in the slot: a failed request fails the job, which the worker reschedules with backoff.
    'ingest.arxiv': async (payload, _job, signal) => {
      const harvest = await ingestArxivDay({ ...ctx, signal, retriesPerRequest: 0 }, payload);
      ctx.metrics.harvestedRecords.inc(harvest.summaries.reduce((sum, set) => sum + set.records, 0));
    },
    'rank.trending': async () => {
      const sweep = await recomputeTrendingScores(ctx.db);
      ctx.logger.info(sweep, 'trending scores recomputed');
    },
    'community.prune': async () => {
      const sessions = await pruneExpiredSessions(ctx.db);
      const counters = await pruneRateLimits(ctx.db, ctx.config);
      ctx.logger.info({ sessions, counters }, 'expired sessions and rate-limit counters pruned');
    },
    'search.embed': async (_payload, _job, signal) => {
      const { DATABASE_URL: databaseUrl, EMBEDDING_MODEL: embeddingModel, LOG_LEVEL: logLevel } = ctx.config;
      const run = await embedOffThread(ctx, { databaseUrl, embeddingModel, logLevel }, signal);
      ctx.metrics.embeddedPapers.inc(run.embedded);
      if (run.embedded > 0 || run.removed > 0) ctx.logger.info(run, 'paper vectors computed');
    },
    'enrich.papers': async (_payload, _job, signal) => {
      const run = await enrichOffThread(ctx.db, { databaseUrl: ctx.config.DATABASE_URL }, signal);
      if (run.enriched > 0) ctx.logger.info(run, 'paper summaries and keywords computed');
    },
    'enrich.summaries': async (_payload, _job, signal) => {
      const settings = chatSettingsFrom(ctx.config);
      if (!settings) return;
      const run = await summarizeWithLlm(ctx.db, settings, { signal });
      if (run.summarized > 0 || run.unusable > 0) ctx.logger.info(run, 'paper summaries written by the chat model');
      if (run.stopped && run.stopped !== 'the daily budget is spent')
        ctx.logger.warn(run, 'chat model summaries stopped');
    },
    'enrich.stars': async (_payload, _job, signal) => {
      const run = await refreshStars(ctx.db, starsSettingsFrom(ctx.config), { signal });
      if (run.checked > 0 || run.rateLimitedUntil) ctx.logger.info(run, 'GitHub stars refreshed');
    },
    'thumbnails.render': async (_payload, _job, signal) => {
      const run = await renderThumbnails({ ...ctx, signal, retriesPerRequest: 0 });
      if (run.rendered > 0 || run.failed > 0) ctx.logger.info(run, 'paper thumbnails rendered');
    },
    ...digestJobHandlers(ctx),
  };
}

/** The recurring plan: what the scheduler enqueues and when. */
export function schedules(config: Config): Schedule[] {
  // Trending scores of newly ingested papers, and a sweep of expired sessions and rate-limit counters.
  const plan: Schedule[] = [every('rank.trending', 10), every('community.prune', 60)];
  // Vectors of new and edited papers for semantic search and similar papers.
  plan.push(every('search.embed', 5));
  // Summaries and keyphrases of new and edited papers.
  plan.push(every('enrich.papers', 5));
  // With a chat endpoint, its one-sentence summaries of the newest papers, within LLM_DAILY_BUDGET.
  if (config.LLM_URL) plan.push(every('enrich.summaries', 5));
  // Stars of the GitHub repositories papers link to, those due (GITHUB_REFRESH_HOURS) a batch a run.
  plan.push(every('enrich.stars', 10));
  // First pages of newly featured papers as their thumbnails, a batch a run.
  if (config.THUMBNAILS_ENABLED) plan.push(every('thumbnails.render', 5));
  // Harvests the day that just ended (UTC) for ARXIV_SETS.
  if (config.ARXIV_INGEST_ENABLED) plan.push(dailyAt('ingest.arxiv', config.ARXIV_HARVEST_TIME));
  // Plans digests once the day's papers are in, and sweeps the outbox for retries that came due and for rows a
  // crashed sender left behind; only with a mail server to send them.
  if (config.SMTP_URL) plan.push(...digestSchedules(config), every('digest.send', 5));
  return plan;
}
