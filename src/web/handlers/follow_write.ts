import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { HttpError, invalidRequest } from '../../errors.js';
import { requireUser } from '../../http/auth.js';
import { followInput, storedFollow } from '../../http/follow-params.js';
import { redirectTo } from '../../http/reply.js';
import { bodyField } from '../../http/request-text.js';
import { addFollow, removeFollow, setFollowInDigest, TooManyFollowsError } from '../../store/follows.js';

/** The follow a form names (kind, target), checked as the API checks it. */
function formFollow(request: FastifyRequest) {
  const result = followInput.safeParse({ kind: bodyField(request, 'kind'), target: bodyField(request, 'target') });
  if (!result.success) throw invalidRequest(result.error);
  return storedFollow(result.data);
}

/** POST /follows (kind, target): the follow buttons and the form on /for-you; back to the page it came from. */
export function followAdd(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'follow');
    const follow = formFollow(request);
    try {
      await addFollow(ctx.db, user.id, follow.kind, follow.target);
    } catch (error) {
      if (error instanceof TooManyFollowsError) throw new HttpError(409, error.message);
      throw error;
    }
    return redirectTo(reply, bodyField(request, 'return_to') ?? '/for-you');
  };
}

/** POST /follows/delete (kind, target): unfollow; following nothing of the kind is no error for a form. */
export function followRemove(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'unfollow');
    const follow = formFollow(request);
    await removeFollow(ctx.db, user.id, follow.kind, follow.target);
    return redirectTo(reply, bodyField(request, 'return_to') ?? '/for-you');
  };
}

/** POST /follows/digest (kind, target, in_digest 1 or 0): makes a follow a digest topic, or stops it being one. */
export function followDigest(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'choose your digest topics');
    const follow = formFollow(request);
    const inDigest = bodyField(request, 'in_digest');
    if (inDigest !== '1' && inDigest !== '0') throw new HttpError(400, 'in_digest must be 1 or 0');
    if (!(await setFollowInDigest(ctx.db, user.id, follow, inDigest === '1')))
      throw new HttpError(404, `you do not follow the ${follow.kind} ${follow.target}`);
    return redirectTo(reply, bodyField(request, 'return_to') ?? '/for-you');
  };
}
