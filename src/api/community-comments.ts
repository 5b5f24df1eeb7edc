import { z } from 'zod';
import { deleteComment, editComment, postComment } from '../community/comment.js';
import { CommunityError } from '../community/errors.js';
import { requireUser, viewerOf } from '../community/http.js';
import { renderCommentMarkdown } from '../community/markdown.js';
import { buildThreads, type CommentNode } from '../community/thread.js';
import { parsePaperId } from '../ingest/normalize.js';
import { getComment, listComments, type Comment } from '../store/comments.js';
import { getPaper } from '../store/papers.js';
import type { RouteModule } from '../web/app.js';
import type { Viewer } from '../web/templates/layout.js';

export const commentsQuery = z.object({ paper: z.string({ error: 'Name the paper: ?paper=2501.12345' }).max(256) });
export const newCommentBody = z.object({
  paperId: z.string({ error: 'paperId is required.' }).max(256),
  parentId: z.number().int().positive().nullable().optional(),
  body: z.unknown(),
});
export const editCommentBody = z.object({ body: z.unknown() });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new CommunityError(400, parsed.error.issues[0]!.message);
  return parsed.data;
}

function commentId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new CommunityError(404, 'There is no such comment.');
  return id;
}

/** A comment as the API shows it: deleted and hidden comments keep their place but not their text. */
function commentJson(comment: Comment, viewer: Viewer | null) {
  const visible = !comment.deletedAt && (!comment.hidden || (viewer !== null && viewer.role !== 'member'));
  return {
    id: comment.id,
    paperId: comment.paperId,
    parentId: comment.parentId,
    author: comment.deletedAt ? null : comment.author.username,
    body: visible ? comment.body : null,
    html: visible ? renderCommentMarkdown(comment.body) : null,
    hidden: comment.hidden,
    deleted: comment.deletedAt !== null,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
  };
}

type CommentJson = ReturnType<typeof commentJson> & { replies: CommentJson[] };

function threadJson(nodes: CommentNode[], viewer: Viewer | null): CommentJson[] {
  return nodes.map((n) => ({ ...commentJson(n.comment, viewer), replies: threadJson(n.replies, viewer) }));
}

/** The comments API: GET threads of a paper, POST a comment or reply, PATCH and DELETE your own. */
export const commentsApi: RouteModule = (app, ctx) => {
  app.get('/api/comments', async (request) => {
    const { paper: raw } = parse(commentsQuery, request.query);
    const id = parsePaperId(raw)?.id;
    const paper = id ? await getPaper(ctx.db, id) : null;
    if (!paper || paper.hidden) throw new CommunityError(404, `There is no paper ${raw.slice(0, 100)}.`);
    return { paperId: paper.id, numComments: paper.numComments, comments: threadJson(buildThreads(await listComments(ctx.db, paper.id)), viewerOf(request)) };
  });

  app.post('/api/comments', async (request, reply) => {
    const user = requireUser(request, 'comment');
    const input = parse(newCommentBody, request.body);
    const posted = await postComment(ctx, user, input.paperId, { body: input.body, parentId: input.parentId ?? null }, request.ip);
    return reply.code(201).send(commentJson((await getComment(ctx.db, posted.id))!, viewerOf(request)));
  });

  app.patch<{ Params: { id: string } }>('/api/comments/:id', async (request) => {
    const user = requireUser(request, 'edit comments');
    const comment = await editComment(ctx, user, commentId(request.params.id), parse(editCommentBody, request.body).body);
    return commentJson(comment, viewerOf(request));
  });

  app.delete<{ Params: { id: string } }>('/api/comments/:id', async (request, reply) => {
    const user = requireUser(request, 'delete comments');
    await deleteComment(ctx, user, commentId(request.params.id));
    return reply.code(204).send();
  });
};
