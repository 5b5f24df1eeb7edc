import type { AppContext } from '../app/context.js';
import { parsePaperId } from '../ingest/normalize.js';
import type { VoteOutcome } from '../store/votes.js';
import type { Auth } from './credentials.js';
import { assertPastNewAccountDelay } from './members.js';
import { enforceRateLimit } from './rate-limit.js';
import { HttpError } from '../errors.js';

/**
 * Upvotes (wanted = true) or withdraws the upvote on a paper. Asking for the state the vote is
 * already in is refused with 409 and changes nothing. The answer comes once the vote has committed.
 */
export async function castVote(
  ctx: Pick<AppContext, 'config' | 'hitCounters' | 'votes'>,
  user: Auth['user'],
  rawPaperId: string,
  wanted: boolean,
  ip: string,
  now = new Date(),
): Promise<VoteOutcome & { paperId: string }> {
  const { config } = ctx;
  assertPastNewAccountDelay(config, user, 'vote', now);
  await enforceRateLimit(ctx, 'vote', { account: user.id, ip }, now);
  const id = parsePaperId(rawPaperId)?.id;
  const outcome = id ? await ctx.votes.cast(id, { userId: user.id, wanted, at: now }) : null;
  if (!outcome) throw new HttpError(404, `There is no paper ${rawPaperId.slice(0, 100)} to vote on.`);
  if (!outcome.changed) {
    const message = wanted ? 'You have already upvoted this paper.' : 'You have not upvoted this paper.';
    throw new HttpError(409, message, { details: { voted: outcome.voted, upvotes: outcome.upvotes } });
  }
  return { ...outcome, paperId: id! };
}
