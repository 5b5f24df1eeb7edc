import type { FastifyReply, FastifyRequest } from 'fastify';
import { deleteComment, editComment, postComment } from '../../community/comment.js';
import { bodyField } from '../../http/request-text.js';
import { csrfTokenFor } from '../../http/cookies.js';
import { requireUser } from '../../http/auth.js';
import { sendLayoutPage } from '../layout-page.js';
import { parsePaperId } from '../../ingest/normalize.js';
import { getComment, type Comment } from '../../store/comments.js';
import { getPaper } from '../../store/papers.js';
import type { AppContext } from '../../app/context.js';
import { commentDeleteConfirmation, commentEditForm } from '../templates/comments.js';
import { paperPath } from '../../markup/urls.js';
import { sendPaperPage } from './paper_show.js';
import { redirectTo } from '../../http/reply.js';
import { HttpError } from '../../errors.js';

function commentId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, 'There is no such comment.');
  return id;
}

function parentId(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new HttpError(400, 'The comment you are replying to does not exist on this paper.');
  return id;
}

/** Refused text is shown again in its form, cut to this length (a form post can carry more than a comment may hold). */
const MAX_DRAFT_CHARS = 20_000;

/** The caller's own comment that is not deleted, or a 404 saying there is none to `doing`. */
async function ownComment(ctx: Pick<AppContext, 'db'>, userId: string, rawId: string, doing: string): Promise<Comment> {
  const comment = await getComment(ctx.db, commentId(rawId));
  if (!comment || comment.author.id !== userId || comment.deletedAt) {
    throw new HttpError(404, `You have no such comment to ${doing}.`);
  }
  return comment;
}

/** Posts a comment or a reply from the paper page's form; a refused one is shown again in that form. */
export function commentPost(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'comment');
    const body = bodyField(request, 'body');
    const rawPaperId = bodyField(request, 'paper') ?? '';
    try {
      const input = { body, parentId: parentId(bodyField(request, 'parent')) };
      const posted = await postComment(ctx, user, rawPaperId, input, request.ip);
      return redirectTo(reply, `${paperPath(posted.paperId)}#comment-${posted.id}`);
    } catch (error) {
      // A refused comment (empty, too long, too many, a reply to a deleted one) goes back to its form, text kept.
      const paperId = parsePaperId(rawPaperId)?.id;
      const paper = error instanceof HttpError && paperId ? await getPaper(ctx.db, paperId) : null;
      if (!(error instanceof HttpError) || !paper || paper.hidden) throw error;
      const { retryAfterSeconds } = error;
      if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
      const parent = Number(bodyField(request, 'parent'));
      const draft = {
        parentId: Number.isSafeInteger(parent) && parent > 0 ? parent : null,
        body: body?.slice(0, MAX_DRAFT_CHARS) ?? '',
        error: error.message,
      };
      return sendPaperPage(ctx, request, reply, paper, { comment: draft, status: error.statusCode });
    }
  };
}

/** The form to edit one of your comments. */
export function commentEditShow(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = requireUser(request, 'edit comments');
    const comment = await ownComment(ctx, user.id, request.params.id, 'edit');
    return sendLayoutPage(request, reply, {
      title: 'Edit comment',
      body: commentEditForm(comment, csrfTokenFor(request, reply)),
    });
  };
}

/** Saves an edited comment. */
export function commentEdit(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = requireUser(request, 'edit comments');
    const id = commentId(request.params.id);
    try {
      const comment = await editComment(ctx, user, id, bodyField(request, 'body'));
      return redirectTo(reply, `${paperPath(comment.paperId)}#comment-${comment.id}`);
    } catch (error) {
      const comment = error instanceof HttpError && error.statusCode === 400 ? await getComment(ctx.db, id) : null;
      if (!comment) throw error;
      const body = commentEditForm(
        { ...comment, body: bodyField(request, 'body')?.slice(0, 20_000) ?? '' },
        csrfTokenFor(request, reply),
        (error as Error).message,
      );
      return sendLayoutPage(request, reply, { title: 'Edit comment', body }, 400);
    }
  };
}

/** Asks to confirm deleting one of your comments. */
export function commentDeleteShow(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = requireUser(request, 'delete comments');
    const comment = await ownComment(ctx, user.id, request.params.id, 'delete');
    const body = commentDeleteConfirmation(comment, csrfTokenFor(request, reply));
    return sendLayoutPage(request, reply, { title: 'Delete comment', body });
  };
}

/** Deletes one of your comments. */
export function commentDelete(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = requireUser(request, 'delete comments');
    const comment = await deleteComment(ctx, user, commentId(request.params.id));
    return redirectTo(reply, `${paperPath(comment.paperId)}#comment-${comment.id}`);
  };
}
