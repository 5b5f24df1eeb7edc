import { deleteComment, editComment, postComment } from '../../community/comment.js';
import { CommunityError } from '../../community/errors.js';
import { bodyField, csrfTokenFor, requireUser, sendLayoutPage } from '../../community/http.js';
import { getComment } from '../../store/comments.js';
import type { RouteModule } from '../app.js';
import { commentEditForm } from '../templates/comments.js';
import { paperPath } from '../urls.js';
import { redirectTo } from '../reply.js';

function commentId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new CommunityError(404, 'There is no such comment.');
  return id;
}

function parentId(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new CommunityError(400, 'The comment you are replying to does not exist on this paper.');
  return id;
}

/** Posting, editing and deleting comments from the paper page's forms. */
export const commentWrite: RouteModule = (app, ctx) => {
  app.post('/comments', async (request, reply) => {
    const user = requireUser(request, 'comment');
    const input = { body: bodyField(request, 'body'), parentId: parentId(bodyField(request, 'parent')) };
    const posted = await postComment(ctx, user, bodyField(request, 'paper') ?? '', input, request.ip);
    return redirectTo(reply, `${paperPath(posted.paperId)}#comment-${posted.id}`);
  });

  app.get<{ Params: { id: string } }>('/comments/:id/edit', async (request, reply) => {
    const user = requireUser(request, 'edit comments');
    const comment = await getComment(ctx.db, commentId(request.params.id));
    if (!comment || comment.author.id !== user.id || comment.deletedAt) throw new CommunityError(404, 'You have no such comment to edit.');
    return sendLayoutPage(request, reply, { title: 'Edit comment', body: commentEditForm(comment, csrfTokenFor(request, reply)) });
  });

  app.post<{ Params: { id: string } }>('/comments/:id/edit', async (request, reply) => {
    const user = requireUser(request, 'edit comments');
    const id = commentId(request.params.id);
    try {
      const comment = await editComment(ctx, user, id, bodyField(request, 'body'));
      return redirectTo(reply, `${paperPath(comment.paperId)}#comment-${comment.id}`);
    } catch (error) {
      const comment = error instanceof CommunityError && error.statusCode === 400 ? await getComment(ctx.db, id) : null;
      if (!comment) throw error;
      const body = commentEditForm({ ...comment, body: bodyField(request, 'body')?.slice(0, 20_000) ?? '' }, csrfTokenFor(request, reply), (error as Error).message);
      return sendLayoutPage(request, reply, { title: 'Edit comment', body }, 400);
    }
  });

  app.post<{ Params: { id: string } }>('/comments/:id/delete', async (request, reply) => {
    const user = requireUser(request, 'delete comments');
    const comment = await deleteComment(ctx, user, commentId(request.params.id));
    return redirectTo(reply, `${paperPath(comment.paperId)}#comment-${comment.id}`);
  });
};
