import { withTransaction } from '../db/transaction.js';
import { fetchArxivPapers } from '../ingest/arxiv/atom.js';
import { dateFromArxivId, isArxivId, parsePaperId } from '../ingest/normalize.js';
import { addDays, today } from '../rank/periods.js';
import {
  countSubmissionsSince,
  featureSubmittedPaper,
  getPaper,
  upsertPapers,
  type Paper,
  type PaperRecord,
} from '../store/papers.js';
import { lockPaper, rederiveVoteCounters } from '../store/votes.js';
import type { AppContext } from '../app/context.js';
import type { Auth } from './credentials.js';
import { assertPastNewAccountDelay } from './members.js';
import { enforceRateLimit } from './rate-limit.js';
import { HttpError } from '../errors.js';

export interface Submission {
  paper: Paper;
  /** True when the paper was already featured: the submission just points to it. */
  duplicate: boolean;
}

/** A member waits on this: the whole lookup, waits and retries included, ends in time to answer within 10 s. */
export const ARXIV_LOOKUP_TIMEOUT_MS = 8_000;
/** Each attempt gets half of that, so that a stalled first answer leaves time for a second try. */
const ARXIV_ATTEMPT_TIMEOUT_MS = ARXIV_LOOKUP_TIMEOUT_MS / 2;

/** The arXiv client settings for a lookup someone waits on: the configured ones, capped to fit the time. */
export function interactiveArxivConfig(config: AppContext['config']): AppContext['config'] {
  return {
    ...config,
    ARXIV_TIMEOUT_MS: Math.min(config.ARXIV_TIMEOUT_MS, ARXIV_ATTEMPT_TIMEOUT_MS),
    ARXIV_STALL_MS: Math.min(config.ARXIV_STALL_MS, ARXIV_ATTEMPT_TIMEOUT_MS),
    ARXIV_BACKOFF_MS: Math.min(config.ARXIV_BACKOFF_MS, 500),
  };
}

async function lookUpOnArxiv(
  id: string,
  config: AppContext['config'],
  logger: AppContext['logger'],
): Promise<PaperRecord> {
  const signal = AbortSignal.timeout(ARXIV_LOOKUP_TIMEOUT_MS);
  const deps = { config: interactiveArxivConfig(config), logger, signal };
  const lookup = await fetchArxivPapers([id], deps).catch((error: unknown) => {
    logger.warn({ err: error, id }, 'arXiv lookup for a submission failed');
    if (signal.aborted) {
      const seconds = ARXIV_LOOKUP_TIMEOUT_MS / 1000;
      const message = `arXiv did not answer within ${seconds} seconds, so ${id} could not be looked up. Try again in a minute.`;
      throw new HttpError(504, message);
    }
    throw new HttpError(502, `arXiv could not be reached to look up ${id}. Try again later.`);
  });
  const record = lookup.found[0];
  if (!record) throw new HttpError(404, `arXiv has no paper ${id}.`);
  return record;
}

/**
 * Features an arXiv paper on today's list as the member's submission. Metadata comes from the
 * store, else from arXiv's export API. A paper that is already featured is not featured again:
 * the result points to it and nothing changes. Checks run before any write, so a refused
 * submission leaves no trace (beyond the rate-limit counter).
 */
export async function submitPaper(
  { db, config, logger, hitCounters }: Pick<AppContext, 'db' | 'config' | 'logger' | 'hitCounters'>,
  user: Auth['user'],
  input: string,
  options: { ip: string; now?: Date },
): Promise<Submission> {
  const now = options.now ?? new Date();
  assertPastNewAccountDelay(config, user, 'submit papers', now);
  await enforceRateLimit({ config, hitCounters }, 'submit', { account: user.id, ip: options.ip }, now);

  const parsed = parsePaperId(input);
  if (!parsed || !isArxivId(parsed.id)) {
    throw new HttpError(
      400,
      `“${input.trim().slice(0, 100)}” is not an arXiv id or URL (for example 2501.12345 or https://arxiv.org/abs/2501.12345).`,
    );
  }
  const id = parsed.id;
  const paper = await getPaper(db, id);
  if (paper?.hidden) throw new HttpError(403, `Moderators removed ${id} from the feed; it cannot be submitted again.`);
  if (paper?.featuredOn) return { paper, duplicate: true };

  // Metadata from the store, else from arXiv; a fetched paper is stored only once every check has passed.
  const record = paper ? null : await lookUpOnArxiv(id, config, logger);
  const published = (paper ? paper.publishedOn : record!.publishedOn) ?? dateFromArxivId(id);
  const oldest = addDays(today(now), -config.SUBMIT_WINDOW_DAYS);
  if (published && published < oldest) {
    throw new HttpError(
      400,
      `Papers can be submitted up to ${config.SUBMIT_WINDOW_DAYS} days after publication; ${id} was published on ${published}.`,
    );
  }

  const startOfDay = new Date(`${today(now)}T00:00:00Z`);
  if ((await countSubmissionsSince(db, user.username, startOfDay)) >= config.SUBMIT_DAILY_LIMIT) {
    const secondsLeft = Math.ceil((startOfDay.getTime() + 86_400_000 - now.getTime()) / 1000);
    throw new HttpError(
      429,
      `You have reached the limit of ${config.SUBMIT_DAILY_LIMIT} submissions a day; submit more tomorrow (UTC).`,
      { retryAfterSeconds: secondsLeft },
    );
  }

  if (record) await upsertPapers(db, [record], { now });
  const featured = await withTransaction(db, async (tx) => {
    if (!(await featureSubmittedPaper(tx, id, { day: today(now), submittedBy: user.username, now }))) return false;
    // The trending score starts from the submission time.
    await rederiveVoteCounters(tx, (await lockPaper(tx, id))!);
    return true;
  });
  return { paper: (await getPaper(db, id))!, duplicate: !featured };
}
