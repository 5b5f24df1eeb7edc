import type { AppContext } from '../app/context.js';
import { parsePaperId } from '../ingest/normalize.js';
import { setVote, type VoteOutcome } from '../store/votes.js';
import type { Auth } from './credentials.js';
import { assertPastNewAccountDelay } from './members.js';
import { enforceRateLimit } from './rate-limit.js';
import { HttpError } from '../errors.js';

/**
 * Upvotes (wanted = true) or withdraws the upvote on a paper. Asking for the state the vote is
 * already in is refused with 409 and changes nothing.
 */
export async function castVote(
  ctx: Pick<AppContext, 'db' | 'config' | 'hitCounters'>,
  user: Auth['user'],
  rawPaperId: string,
  wanted: boolean,
  ip: string,
  now = new Date(),
): Promise<VoteOutcome & { paperId: string }> {
  const { db, config } = ctx;
  assertPastNewAccountDelay(config, user, 'vote', now);
  await enforceRateLimit(ctx, 'vote', { account: user.id, ip }, now);
  const id = parsePaperId(rawPaperId)?.id;
  const outcome = id ? await setVote(db, user.id, id, wanted, now) : null;
  if (!outcome) throw new HttpError(404, `There is no paper ${rawPaperId.slice(0, 100)} to vote on.`);
  if (!outcome.changed) {
    const message = wanted ? 'You have already upvoted this paper.' : 'You have not upvoted this paper.';
    throw new HttpError(409, message, { details: { voted: outcome.voted, upvotes: outcome.upvotes } });
  }
  return { ...outcome, paperId: id! };
}
