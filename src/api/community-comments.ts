import { z } from 'zod';
import { deleteComment, editComment, MAX_COMMENT_CHARS, postComment } from '../community/comment.js';
import { buildThreads, type CommentNode } from '../community/thread.js';
import { parsePaperId } from '../ingest/normalize.js';
import { getComment, listComments, type Comment } from '../store/comments.js';
import { getPaper } from '../store/papers.js';
import type { Viewer } from '../http/auth.js';
import { answers, apiSchemas, defineApiRoute } from './route.js';
import { HttpError } from '../errors.js';

export const commentsQuery = z.object({
  paper: z.string({ error: 'Name the paper: ?paper=2501.12345' }).max(256).describe('The paper’s id'),
});
// The text's own rules (not blank, at most MAX_COMMENT_CHARS once trimmed) are checked where comments are
// posted and edited (community/comment.ts), so the API and the page forms refuse a comment in the same words.
const markdownBody = z
  .string({ error: 'Write a comment first.' })
  .meta({ description: 'Markdown with $LaTeX$ math; no raw HTML', minLength: 1, maxLength: MAX_COMMENT_CHARS });
export const newCommentBody = z.object({
  paperId: z.string({ error: 'paperId is required.' }).max(256),
  parentId: z.number().int().positive().nullable().optional().describe('The comment this replies to'),
  body: markdownBody,
});
export const editCommentBody = z.object({ body: markdownBody });
// Any other id is simply no comment: a 404, as for a number that names none.
const commentIdParams = z.object({ id: z.string().meta({ description: 'The comment’s id', pattern: '^\\d+$' }) });

const commentFields = {
  id: z.int().positive(),
  paperId: z.string(),
  parentId: z.int().positive().nullable(),
  author: z.string().nullable().describe('Username; null once deleted'),
  body: z
    .string()
    .nullable()
    .describe('The Markdown; null when deleted, or hidden by moderators (shown to moderators)'),
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

function commentId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(404, 'There is no such comment.');
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
export const commentRoutes = [
  defineApiRoute({
    method: 'GET',
    operationId: 'listComments',
    path: '/api/comments',
    urls: ['/api/comments'],
    summary: 'A paper’s comments, as threads',
    query: commentsQuery,
    responses: [
      answers.ok('The threads, oldest first', commentThreadJson),
      answers.badRequest('No paper named'),
      answers.notFound('No such paper'),
    ],
    async handle({ query, viewer }, { db }) {
      const id = parsePaperId(query.paper)?.id;
      const paper = id ? await getPaper(db, id) : null;
      if (!paper || paper.hidden) throw new HttpError(404, `There is no paper ${query.paper.slice(0, 100)}.`);
      return {
        paperId: paper.id,
        numComments: paper.numComments,
        comments: threadJson(buildThreads(await listComments(db, paper.id)), viewer),
      };
    },
  }),
  defineApiRoute({
    method: 'POST',
    operationId: 'postComment',
    path: '/api/comments',
    urls: ['/api/comments'],
    summary: 'Comment on a paper, or reply to a comment',
    body: newCommentBody,
    member: 'comment',
    changesSharedAnswers: true,
    responses: [
      answers.created('The new comment', commentJsonSchema),
      answers.badRequest('An empty or oversized comment, or a malformed body'),
      refusals.unauthorized,
      answers.notFound('No such paper, or no such comment on it to reply to'),
      answers.conflict('The comment replied to was deleted or hidden'),
      refusals.tooMany,
    ],
    async handle({ body, member, viewer, ip }, ctx) {
      const posted = await postComment(
        ctx,
        member,
        body.paperId,
        { body: body.body, parentId: body.parentId ?? null },
        ip,
      );
      return commentJson((await getComment(ctx.db, posted.id))!, viewer);
    },
  }),
  defineApiRoute({
    method: 'PATCH',
    operationId: 'editComment',
    path: '/api/comments/{id}',
    urls: ['/api/comments/:id'],
    summary: 'Edit your comment',
    params: commentIdParams,
    body: editCommentBody,
    member: 'edit comments',
    changesSharedAnswers: true,
    responses: [
      answers.ok('The edited comment', commentJsonSchema),
      answers.badRequest('An empty or oversized comment'),
      refusals.unauthorized,
      answers.forbidden('Not your comment'),
      answers.notFound('No such comment'),
      answers.conflict('The comment was deleted or hidden'),
    ],
    async handle({ params, body, member, viewer }, ctx) {
      return commentJson(await editComment(ctx, member, commentId(params.id), body.body), viewer);
    },
  }),
  defineApiRoute({
    method: 'DELETE',
    operationId: 'deleteComment',
    path: '/api/comments/{id}',
    urls: ['/api/comments/:id'],
    summary: 'Delete your comment (its replies stay)',
    params: commentIdParams,
    member: 'delete comments',
    changesSharedAnswers: true,
    responses: [
      answers.noContent('Deleted'),
      refusals.unauthorized,
      answers.forbidden('Not your comment'),
      answers.notFound('No such comment'),
      answers.conflict('Already deleted, or hidden'),
    ],
    async handle({ params, member }, ctx) {
      await deleteComment(ctx, member, commentId(params.id));
      return undefined;
    },
  }),
];
