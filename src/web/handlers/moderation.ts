import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { bodyField } from '../../http/request-text.js';
import { csrfTokenFor } from '../../http/cookies.js';
import { requireModerator, viewerOf } from '../../http/auth.js';
import { sendLayoutPage } from '../layout-page.js';
import { changeRole, setCommentVisibility, setPaperVisibility, setUserBan } from '../../community/moderate.js';
import { listModerationLog } from '../../store/moderation.js';
import { listPendingCodeLinks } from '../../store/code-link-proposals.js';
import { decideCodeLink } from '../../community/code-links.js';
import { moderationPage } from '../templates/moderation.js';
import { paperPath } from '../../markup/urls.js';
import { redirectTo } from '../../http/reply.js';
import { HttpError } from '../../errors.js';

function hideOrUnhide(action: string | undefined): boolean {
  if (action === 'hide' || action === 'unhide') return action === 'hide';
  throw new HttpError(400, 'Choose whether to hide or unhide.');
}

/** The public moderation log. The moderators' actions below are each recorded in it. */
export function moderationShow({ db }: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const viewer = viewerOf(request);
    const body = moderationPage({
      entries: await listModerationLog(db, { limit: 200 }),
      // Proposals name their proposer: moderators only.
      pendingCodeLinks: viewer && viewer.role !== 'member' ? await listPendingCodeLinks(db) : [],
      viewer,
      csrfToken: csrfTokenFor(request, reply),
    });
    return sendLayoutPage(request, reply, { title: 'Moderation log', body });
  };
}

/** Hides or unhides a paper. */
export function moderationPaper({ db }: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const moderator = requireModerator(request);
    await setPaperVisibility(
      db,
      moderator,
      bodyField(request, 'paper') ?? '',
      hideOrUnhide(bodyField(request, 'action')),
      bodyField(request, 'reason'),
    );
    return redirectTo(reply, '/moderation');
  };
}

/** Hides or unhides a comment. */
export function moderationComment({ db }: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const moderator = requireModerator(request);
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id)) throw new HttpError(404, 'There is no such comment.');
    const paperId = await setCommentVisibility(
      db,
      moderator,
      id,
      hideOrUnhide(bodyField(request, 'action')),
      bodyField(request, 'reason'),
    );
    return redirectTo(reply, `${paperPath(paperId)}#comment-${id}`);
  };
}

/** Bans, unbans or changes the role of a member. */
export function moderationUser(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const moderator = requireModerator(request);
    const username = bodyField(request, 'username') ?? '';
    const action = bodyField(request, 'action');
    const reason = bodyField(request, 'reason');
    if (action === 'role') await changeRole(ctx, moderator, username, bodyField(request, 'role'), reason);
    else if (action === 'ban' || action === 'unban')
      await setUserBan(ctx, moderator, username, action === 'ban', reason);
    else throw new HttpError(400, 'Choose ban, unban or set role.');
    return redirectTo(reply, '/moderation');
  };
}

/** Approves or rejects a proposed code link. */
export function moderationCodeLink(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const moderator = requireModerator(request);
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id)) throw new HttpError(404, 'There is no such proposal waiting.');
    const action = bodyField(request, 'action');
    if (action !== 'approve' && action !== 'reject') throw new HttpError(400, 'Choose whether to approve or reject.');
    await decideCodeLink(ctx, moderator, id, action === 'approve', bodyField(request, 'reason'));
    return redirectTo(reply, '/moderation');
  };
}
