import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connection.js';
import { failHarvest, finishHarvest, getHarvest, isComplete, recordHarvestPage, startHarvest, type HarvestWindow } from '../../store/harvests.js';
import { storedVersions, upsertPapers, type PaperRecord } from '../../store/papers.js';
import { ArxivClient, clientOptionsFrom } from './client.js';
import { listRecordsUrl, OaiError, parseListRecords, resolveVersion, type OaiPage, type OaiRecord } from './oai.js';
import { ArxivFormatError } from './xml.js';

/** A harvest that stopped: which window, at which page and URL, and why (the cause). */
export class HarvestError extends Error {
  constructor(
    readonly window: HarvestWindow,
    readonly page: number,
    readonly url: string,
    cause: unknown,
  ) {
    super(`arXiv harvest of ${label(window)} stopped at page ${page}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'HarvestError';
  }
}

export interface HarvestDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** Stops the harvest between or during requests; the checkpoint keeps the last stored page. */
  signal?: AbortSignal;
}

export interface HarvestProgress {
  window: HarvestWindow;
  /** Counts for this run (a resumed run counts from where it resumed). */
  pages: number;
  records: number;
  /** The window's size as upstream announces it, when it does. */
  completeListSize: number | null;
}

export interface HarvestOptions {
  /** Harvests a completed window again from its first page. */
  force?: boolean;
  /** Features new submissions on the feed of the day they were announced (their datestamp). */
  feature?: boolean;
  onPage?: (progress: HarvestProgress) => void;
}

export interface HarvestSummary {
  window: HarvestWindow;
  outcome: 'harvested' | 'already-complete';
  resumed: boolean;
  pages: number;
  records: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  newSubmissions: number;
  ms: number;
}

/** How long after its first version a record still counts as a new submission (arXiv holiday breaks run about a week). */
const NEW_SUBMISSION_DAYS = 14;

/** A first version announced within two weeks of its submission: what a daily feed shows as new. */
export function isNewSubmission(record: OaiRecord): boolean {
  const { publishedOn } = record.paper;
  if (!record.versionKnown || !publishedOn) return false;
  const ageDays = (Date.parse(record.datestamp) - Date.parse(publishedOn)) / 86_400_000;
  return ageDays >= 0 && ageDays <= NEW_SUBMISSION_DAYS;
}

type PageCounts = Pick<HarvestSummary, 'inserted' | 'updated' | 'unchanged' | 'newSubmissions'>;

/** Stores one page: numbers revised records' versions against the store, then upserts, featuring new submissions when asked. */
async function storePage(db: Db, page: OaiPage, feature: boolean): Promise<PageCounts> {
  const stored = await storedVersions(db, page.records.filter((r) => !r.versionKnown).map((r) => r.paper.id));
  const byFeaturedDay = new Map<string | null, PaperRecord[]>();
  const counts: PageCounts = { inserted: 0, updated: 0, unchanged: 0, newSubmissions: 0 };
  for (const record of page.records) {
    const paper = resolveVersion(record, stored.get(record.paper.id));
    if (!paper) {
      counts.unchanged++;
      continue;
    }
    const featuredOn = feature && isNewSubmission(record) ? record.datestamp : null;
    if (featuredOn) counts.newSubmissions++;
    const group = byFeaturedDay.get(featuredOn) ?? [];
    group.push(paper);
    byFeaturedDay.set(featuredOn, group);
  }
  for (const [featuredOn, papers] of byFeaturedDay) {
    const result = await upsertPapers(db, papers, { featuredOn });
    counts.inserted += result.inserted;
    counts.updated += result.updated;
    counts.unchanged += result.unchanged;
  }
  return counts;
}

function label(window: HarvestWindow): string {
  return `${window.set ?? 'all sets'} ${window.from}..${window.until}`;
}

/**
 * Harvests one window with OAI-PMH ListRecords, page by page, storing each page before asking
 * for the next and checkpointing the resumption token after it. An interrupted harvest resumes
 * from its checkpoint; a completed window is skipped unless `force`. Any failure is logged with
 * the window, page and URL, recorded on the checkpoint, and rethrown; stored pages stay stored.
 */
export async function harvestWindow(deps: HarvestDeps, window: HarvestWindow, options: HarvestOptions = {}): Promise<HarvestSummary> {
  const { db, config, signal } = deps;
  if (!(window.from <= window.until)) throw new Error(`harvest window starts after it ends: ${window.from} > ${window.until}`);
  const logger = deps.logger.child({ set: window.set ?? '', from: window.from, until: window.until });
  const started = Date.now();
  const summary: HarvestSummary = { window, outcome: 'harvested', resumed: false, pages: 0, records: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, newSubmissions: 0, ms: 0 };

  const checkpoint = await getHarvest(db, window);
  if (checkpoint && isComplete(checkpoint) && !options.force) {
    logger.info({ completedAt: checkpoint.completedAt }, `arXiv window ${label(window)} already harvested; skipping (use force to harvest it again)`);
    return { ...summary, outcome: 'already-complete' };
  }
  const resumeFrom = options.force || checkpoint?.status === 'done' ? null : (checkpoint?.resumptionToken ?? null);
  let token = resumeFrom;
  let pagesDone = resumeFrom ? checkpoint!.pages : 0;
  let recordsDone = resumeFrom ? checkpoint!.records : 0;
  summary.resumed = resumeFrom !== null;
  await startHarvest(db, window, resumeFrom === null);
  if (summary.resumed) logger.info({ pages: pagesDone }, `resuming arXiv harvest of ${label(window)} after page ${pagesDone}`);

  const client = new ArxivClient(clientOptionsFrom(config, logger, signal));
  for (;;) {
    const url = listRecordsUrl(config.ARXIV_OAI_URL, token ? { resumptionToken: token } : window);
    const where = { page: pagesDone + 1, url };
    let page: OaiPage;
    try {
      page = parseListRecords(await client.get(url));
      if (token !== null && page.resumptionToken === token) {
        throw new ArxivFormatError('upstream answered with the resumption token it was asked with; stopping rather than looping', url);
      }
    } catch (error) {
      if (error instanceof OaiError && error.code === 'badResumptionToken' && token !== null && token === resumeFrom) {
        // Tokens expire upstream; the pages already stored are idempotent to store again.
        logger.warn({ ...where, err: error }, `resumption token of ${label(window)} no longer accepted; harvesting the window from its first page`);
        await startHarvest(db, window, true);
        token = null;
        pagesDone = 0;
        recordsDone = 0;
        continue;
      }
      return stop(error, where);
    }
    try {
      for (const skipped of page.skipped) logger.warn({ ...where, identifier: skipped.identifier, reason: skipped.reason }, 'skipped an arXiv record');
      const counts = await storePage(db, page, options.feature ?? false);
      pagesDone++;
      recordsDone += page.records.length;
      summary.pages++;
      summary.records += page.records.length;
      summary.skipped += page.skipped.length;
      summary.inserted += counts.inserted;
      summary.updated += counts.updated;
      summary.unchanged += counts.unchanged;
      summary.newSubmissions += counts.newSubmissions;
      await recordHarvestPage(db, window, { resumptionToken: page.resumptionToken, pages: pagesDone, records: recordsDone, completeListSize: page.completeListSize });
    } catch (error) {
      return stop(error, where);
    }
    options.onPage?.({ window, pages: summary.pages, records: summary.records, completeListSize: page.completeListSize });
    if (!page.resumptionToken) break;
    token = page.resumptionToken;
  }
  await finishHarvest(db, window);
  summary.ms = Date.now() - started;
  logger.info({ ...summary, window: undefined }, `harvested arXiv ${label(window)}: ${summary.records} records in ${summary.pages} pages`);
  return summary;

  async function stop(cause: unknown, where: { page: number; url: string }): Promise<never> {
    const error = new HarvestError(window, where.page, where.url, cause);
    logger.error({ ...where, err: cause }, error.message);
    await failHarvest(db, window, error.message);
    throw error;
  }
}

export interface SetsHarvest {
  summaries: HarvestSummary[];
  failures: Array<{ window: HarvestWindow; error: Error }>;
}

/** Harvests the same day range for several sets, one after another; a failing set does not stop the others. */
export async function harvestSets(deps: HarvestDeps, sets: Array<string | null>, range: { from: string; until: string }, options: HarvestOptions = {}): Promise<SetsHarvest> {
  const result: SetsHarvest = { summaries: [], failures: [] };
  for (const set of sets) {
    const window = { set, ...range };
    try {
      result.summaries.push(await harvestWindow(deps, window, options));
    } catch (error) {
      result.failures.push({ window, error: error instanceof Error ? error : new Error(String(error)) });
      if (deps.signal?.aborted) break;
    }
  }
  return result;
}
