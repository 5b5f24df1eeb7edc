import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { HttpError } from '../../errors.js';
import { requireUser } from '../../http/auth.js';
import { redirectTo } from '../../http/reply.js';
import { bodyField } from '../../http/request-text.js';
import { parsePaperId } from '../../ingest/normalize.js';
import { dismissPaper, undismissPaper } from '../../store/dismissals.js';
import { wantsJson } from '../error-handler.js';

/**
 * POST /not-interested (paper, undo=1 to take it back): the "Not interested" button of /for-you. A
 * form post goes back to the page it came from, where the paper is gone; fetch() gets JSON.
 */
export function paperDismiss(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'mark papers "not interested"');
    const parsed = parsePaperId(bodyField(request, 'paper') ?? '');
    if (!parsed) throw new HttpError(400, 'paper: not a paper id');
    const undo = bodyField(request, 'undo') === '1';
    if (undo) await undismissPaper(ctx.db, user.id, parsed.id);
    else if (!(await dismissPaper(ctx.db, user.id, parsed.id))) throw new HttpError(404, 'There is no such paper.');
    if (wantsJson(request)) return { paperId: parsed.id, notInterested: !undo };
    return redirectTo(reply, bodyField(request, 'return_to') ?? '/for-you');
  };
}
