import { z } from 'zod';
import { commentBodySchema, deleteComment, editComment, postComment } from '../community/comment.js';
import { CommunityError } from '../community/errors.js';
import { requireUser, viewerOf } from '../community/http.js';
import { buildThreads, type CommentNode } from '../community/thread.js';
import { parsePaperId } from '../ingest/normalize.js';
import { getComment, listComments, type Comment } from '../store/comments.js';
import { getPaper } from '../store/papers.js';
import type { RouteModule } from '../web/app.js';
import type { Viewer } from '../web/templates/layout.js';
import { answers, apiSchemas, changesSharedAnswers, type DocumentedRoute } from './route.js';

export const commentsQuery = z.object({ paper: z.string({ error: 'Name the paper: ?paper=2501.12345' }).max(256).describe('The paper’s id') });
const markdownBody = commentBodySchema.describe('Markdown with $LaTeX$ math; no raw HTML');
export const newCommentBody = z.object({
  paperId: z.string({ error: 'paperId is required.' }).max(256),
  parentId: z.number().int().positive().nullable().optional().describe('The comment this replies to'),
  body: markdownBody,
});
export const editCommentBody = z.object({ body: markdownBody });
const commentIdParams = z.object({ id: z.string().regex(/^\d+$/).describe('The comment’s id') });

const commentFields = {
  id: z.int().positive(),
  paperId: z.string(),
  parentId: z.int().positive().nullable(),
  author: z.string().nullable().describe('Username; null once deleted'),
  body: z.string().nullable().describe('The Markdown; null when deleted, or hidden by moderators (shown to moderators)'),
  html: z.string().nullable().describe('The Markdown rendered and sanitised'),
  hidden: z.boolean(),
  deleted: z.boolean(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
};
export const commentJsonSchema = z.object(commentFields).register(apiSchemas, { id: 'Comment' });
export const commentNodeJson: z.ZodType = z
  .object({
    ...commentFields,
    get replies(): z.ZodArray<z.ZodType> {
      return z.array(commentNodeJson);
    },
  })
  .register(apiSchemas, { id: 'CommentNode', description: 'A comment with its replies, oldest first' });
export const commentThreadJson = z
  .object({ paperId: z.string(), numComments: z.int().nonnegative(), comments: z.array(commentNodeJson) })
  .register(apiSchemas, { id: 'CommentThreads' });

const refusals = {
  unauthorized: answers.unauthorized('No valid API token (or session)'),
  tooMany: answers.tooManyRequests('Over the comment rate limit; see Retry-After'),
};

export const commentRoutes: DocumentedRoute[] = [
  {
    method: 'get',
    operationId: 'listComments',
    path: '/api/comments',
    summary: 'A paper’s comments, as threads',
    query: commentsQuery,
    responses: [answers.ok('The threads, oldest first', commentThreadJson), answers.badRequest('No paper named'), answers.notFound('No such paper')],
    authenticated: false,
  },
  {
    method: 'post',
    operationId: 'postComment',
    path: '/api/comments',
    summary: 'Comment on a paper, or reply to a comment',
    body: newCommentBody,
    responses: [
      answers.created('The new comment', commentJsonSchema),
      answers.badRequest('An empty or oversized comment, or a malformed body'),
      refusals.unauthorized,
      answers.notFound('No such paper, or no such comment on it to reply to'),
      answers.conflict('The comment replied to was deleted or hidden'),
      refusals.tooMany,
    ],
    authenticated: true,
  },
  {
    method: 'patch',
    operationId: 'editComment',
    path: '/api/comments/{id}',
    summary: 'Edit your comment',
    params: commentIdParams,
    body: editCommentBody,
    responses: [
      answers.ok('The edited comment', commentJsonSchema),
      answers.badRequest('An empty or oversized comment'),
      refusals.unauthorized,
      answers.forbidden('Not your comment'),
      answers.notFound('No such comment'),
      answers.conflict('The comment was deleted or hidden'),
    ],
    authenticated: true,
  },
  {
    method: 'delete',
    operationId: 'deleteComment',
    path: '/api/comments/{id}',
    summary: 'Delete your comment (its replies stay)',
    params: commentIdParams,
    responses: [
      answers.noContent('Deleted'),
      refusals.unauthorized,
      answers.forbidden('Not your comment'),
      answers.notFound('No such comment'),
      answers.conflict('Already deleted, or hidden'),
    ],
    authenticated: true,
  },
];

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
    html: visible ? comment.html : null,
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

  app.post('/api/comments', changesSharedAnswers, async (request, reply) => {
    const user = requireUser(request, 'comment');
    const input = parse(newCommentBody, request.body);
    const posted = await postComment(ctx, user, input.paperId, { body: input.body, parentId: input.parentId ?? null }, request.ip);
    return reply.code(201).send(commentJson((await getComment(ctx.db, posted.id))!, viewerOf(request)));
  });

  app.patch<{ Params: { id: string } }>('/api/comments/:id', changesSharedAnswers, async (request) => {
    const user = requireUser(request, 'edit comments');
    const comment = await editComment(ctx, user, commentId(request.params.id), parse(editCommentBody, request.body).body);
    return commentJson(comment, viewerOf(request));
  });

  app.delete<{ Params: { id: string } }>('/api/comments/:id', changesSharedAnswers, async (request, reply) => {
    const user = requireUser(request, 'delete comments');
    await deleteComment(ctx, user, commentId(request.params.id));
    return reply.code(204).send();
  });
};
