import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { bodyField } from '../../http/request-text.js';
import { requireUser } from '../../http/auth.js';
import { wantsJson } from '../error-handler.js';
import { castVote } from '../../community/vote.js';
import { paperPath } from '../../markup/urls.js';
import { redirectTo } from '../../http/reply.js';
import { HttpError } from '../../errors.js';

/**
 * POST /vote (paper, direction=up|down): the vote button. fetch() asks for JSON and gets the new
 * count; a plain form post is sent back to the page it came from.
 */
export function paperVote(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'upvote papers');
    const direction = bodyField(request, 'direction');
    if (direction !== 'up' && direction !== 'down')
      throw new HttpError(400, 'Say whether to upvote (direction=up) or withdraw the upvote (direction=down).');
    const paperId = bodyField(request, 'paper') ?? '';
    const outcome = await castVote(ctx, user, paperId, direction === 'up', request.ip);
    if (wantsJson(request)) return { voted: outcome.voted, upvotes: outcome.upvotes };
    return redirectTo(reply, bodyField(request, 'return_to') ?? paperPath(paperId));
  };
}
