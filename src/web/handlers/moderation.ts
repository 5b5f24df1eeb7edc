import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { bodyField } from '../../http/request-text.js';
import { csrfTokenFor } from '../../http/cookies.js';
import { requireModerator, viewerOf } from '../../http/auth.js';
import { sendLayoutPage } from '../layout-page.js';
import { changeRole, setCommentVisibility, setPaperVisibility, setUserBan } from '../../community/moderate.js';
import { listModerationLog } from '../../store/moderation.js';
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
    const body = moderationPage({
      entries: await listModerationLog(db, { limit: 200 }),
      viewer: viewerOf(request),
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
