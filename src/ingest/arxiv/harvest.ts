import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { Db } from '../../db/connection.js';
import { withTransaction } from '../../db/transaction.js';
import {
  failHarvest,
  finishHarvest,
  getHarvest,
  isComplete,
  recordHarvestPage,
  startHarvest,
  type HarvestPageProgress,
  type HarvestWindow,
} from '../../store/harvests.js';
import { storedVersions, upsertPapers, type PaperRecord } from '../../store/papers.js';
import { ArxivClient, ArxivRequestError, clientOptionsFrom, type ArxivResponse } from './client.js';
import { listRecordsUrl, OaiError, peekResumptionToken, resolveVersion, type OaiPage, type OaiRecord } from './oai.js';
import { OaiPageParser } from './oai-parser.js';
import { ArxivFormatError } from './xml.js';

/** A harvest that stopped: which window, at which page and URL, and why (the cause). */
export class HarvestError extends Error {
  constructor(
    readonly window: HarvestWindow,
    readonly page: number,
    readonly url: string,
    cause: unknown,
  ) {
    super(
      `arXiv harvest of ${label(window)} stopped at page ${page}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'HarvestError';
  }
}

export interface HarvestDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** Stops the harvest between or during requests; the checkpoint keeps the last stored page. */
  signal?: AbortSignal;
  /** Retries of a failed request inside the harvest (default ARXIV_RETRIES); a job says 0 and is rescheduled instead. */
  retriesPerRequest?: number;
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

/**
 * Stores one page and its checkpoint in one transaction: numbers revised records' versions
 * against the store, upserts, features new submissions when asked, then records the token for
 * the next page. A failure leaves neither the papers nor the checkpoint half-written.
 */
async function storePage(
  db: Db,
  window: HarvestWindow,
  page: OaiPage,
  feature: boolean,
  checkpoint: Omit<HarvestPageProgress, 'resumptionToken' | 'completeListSize'>,
): Promise<PageCounts> {
  return withTransaction(db, async (tx) => {
    const stored = await storedVersions(
      tx,
      page.records.filter((r) => !r.versionKnown).map((r) => r.paper.id),
    );
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
      const result = await upsertPapers(tx, papers, { featuredOn });
      counts.inserted += result.inserted;
      counts.updated += result.updated;
      counts.unchanged += result.unchanged;
    }
    await recordHarvestPage(tx, window, {
      ...checkpoint,
      resumptionToken: page.resumptionToken,
      completeListSize: page.completeListSize,
    });
    return counts;
  });
}

/** A page asked for: with which token (null: the window's first page), where, and its parsed answer to come. */
interface PageRequest {
  token: string | null;
  url: string;
  response: Promise<ArxivResponse>;
  page: Promise<OaiPage>;
}

function label(window: HarvestWindow): string {
  return `${window.set ?? 'all sets'} ${window.from}..${window.until}`;
}

/**
 * Harvests one window with OAI-PMH ListRecords, page by page: while a page is stored (with its
 * resumption token as the checkpoint, in one transaction) the next one is fetched and parsed,
 * at the configured spacing between requests. An interrupted harvest resumes
 * from its checkpoint; a completed window is skipped unless `force`. Any failure is logged with
 * the window, page and URL, recorded on the checkpoint, and rethrown; stored pages stay stored.
 */
export async function harvestWindow(
  deps: HarvestDeps,
  window: HarvestWindow,
  options: HarvestOptions = {},
): Promise<HarvestSummary> {
  const { db, config, signal } = deps;
  if (!(window.from <= window.until))
    throw new Error(`harvest window starts after it ends: ${window.from} > ${window.until}`);
  const logger = deps.logger.child({ set: window.set ?? '', from: window.from, until: window.until });
  const started = Date.now();
  const summary: HarvestSummary = {
    window,
    outcome: 'harvested',
    resumed: false,
    pages: 0,
    records: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    newSubmissions: 0,
    ms: 0,
  };

  const checkpoint = await getHarvest(db, window);
  if (checkpoint && isComplete(checkpoint) && !options.force) {
    logger.info(
      { completedAt: checkpoint.completedAt },
      `arXiv window ${label(window)} already harvested; skipping (use force to harvest it again)`,
    );
    return { ...summary, outcome: 'already-complete' };
  }
  const resumeFrom = options.force || checkpoint?.status === 'done' ? null : (checkpoint?.resumptionToken ?? null);
  let pagesDone = resumeFrom ? checkpoint!.pages : 0;
  let recordsDone = resumeFrom ? checkpoint!.records : 0;
  summary.resumed = resumeFrom !== null;
  await startHarvest(db, window, resumeFrom === null);
  if (summary.resumed)
    logger.info({ pages: pagesDone }, `resuming arXiv harvest of ${label(window)} after page ${pagesDone}`);

  // The next page is asked for while this one is parsed and stored; `stopFetching` cancels that request when the harvest stops.
  const stopFetching = new AbortController();
  const client = new ArxivClient({
    ...clientOptionsFrom(config, logger, signal ? AbortSignal.any([signal, stopFetching.signal]) : stopFetching.signal),
    retries: deps.retriesPerRequest ?? config.ARXIV_RETRIES,
  });
  const parser = new OaiPageParser();
  const fetchPage = (token: string | null): PageRequest => {
    const url = listRecordsUrl(config.ARXIV_OAI_URL, token ? { resumptionToken: token } : window);
    const response = client.get(url);
    const page = response.then((answer) => parser.parse(answer));
    // Awaited later, or never when the harvest stops first: not unhandled rejections meanwhile.
    response.catch(() => {});
    page.catch(() => {});
    return { token, url, response, page };
  };
  try {
    let request: PageRequest | null = fetchPage(resumeFrom);
    while (request) {
      const where = { page: pagesDone + 1, url: request.url };
      let page: OaiPage;
      let next: PageRequest | null = null;
      try {
        if (signal?.aborted) throw new ArxivRequestError('harvest aborted', request.url, 'aborted');
        // Ask for the next page as soon as this answer is in, so fetching it overlaps parsing and storing this one.
        const ahead = peekResumptionToken((await request.response).body);
        if (ahead !== null && ahead !== request.token) next = fetchPage(ahead);
        page = await request.page;
        if (request.token !== null && page.resumptionToken === request.token) {
          throw new ArxivFormatError(
            'upstream answered with the resumption token it was asked with; stopping rather than looping',
            request.url,
          );
        }
      } catch (error) {
        if (
          error instanceof OaiError &&
          error.code === 'badResumptionToken' &&
          request.token !== null &&
          request.token === resumeFrom
        ) {
          // Tokens expire upstream; the pages already stored are idempotent to store again.
          logger.warn(
            { ...where, err: error },
            `resumption token of ${label(window)} no longer accepted; harvesting the window from its first page`,
          );
          await startHarvest(db, window, true);
          pagesDone = 0;
          recordsDone = 0;
          request = fetchPage(null);
          continue;
        }
        return await stop(error, where);
      }
      // Only a token the full parse confirms is followed (a request read ahead otherwise goes unused).
      if (next?.token !== page.resumptionToken) next = page.resumptionToken ? fetchPage(page.resumptionToken) : null;
      try {
        for (const skipped of page.skipped)
          logger.warn({ ...where, identifier: skipped.identifier, reason: skipped.reason }, 'skipped an arXiv record');
        const counts = await storePage(db, window, page, options.feature ?? false, {
          pages: pagesDone + 1,
          records: recordsDone + page.records.length,
        });
        pagesDone++;
        recordsDone += page.records.length;
        summary.pages++;
        summary.records += page.records.length;
        summary.skipped += page.skipped.length;
        summary.inserted += counts.inserted;
        summary.updated += counts.updated;
        summary.unchanged += counts.unchanged;
        summary.newSubmissions += counts.newSubmissions;
      } catch (error) {
        return await stop(error, where);
      }
      options.onPage?.({
        window,
        pages: summary.pages,
        records: summary.records,
        completeListSize: page.completeListSize,
      });
      request = next;
    }
  } finally {
    stopFetching.abort();
    await parser.close();
  }
  await finishHarvest(db, window);
  summary.ms = Date.now() - started;
  logger.info(
    { ...summary, window: undefined },
    `harvested arXiv ${label(window)}: ${summary.records} records in ${summary.pages} pages`,
  );
  return summary;

  async function stop(cause: unknown, where: { page: number; url: string }): Promise<never> {
    const error = new HarvestError(window, where.page, where.url, cause);
    // Upstream being away is routine: one warning line, no trace. Anything else is a defect worth its stack.
    if (cause instanceof ArxivRequestError) logger.warn(where, error.message);
    else logger.error({ ...where, err: cause }, error.message);
    await failHarvest(db, window, error.message);
    throw error;
  }
}

export interface SetsHarvest {
  summaries: HarvestSummary[];
  failures: Array<{ window: HarvestWindow; error: Error }>;
}

/** Harvests the same day range for several sets, one after another; a failing set does not stop the others. */
export async function harvestSets(
  deps: HarvestDeps,
  sets: Array<string | null>,
  range: { from: string; until: string },
  options: HarvestOptions = {},
): Promise<SetsHarvest> {
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
