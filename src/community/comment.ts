import { z } from 'zod';
import { parsePaperId } from '../ingest/normalize.js';
import {
  commentsWithoutHtml,
  getComment,
  insertComment,
  softDeleteComment,
  storeCommentHtml,
  updateCommentBody,
  type Comment,
} from '../store/comments.js';
import { getPaper } from '../store/papers.js';
import type { AppContext } from '../app/context.js';
import type { Auth } from './credentials.js';
import { renderCommentMarkdown } from './markdown.js';
import { enforceRateLimit } from './rate-limit.js';
import { HttpError, invalidInput } from '../errors.js';

export const MAX_COMMENT_CHARS = 10_000;

export const commentBodySchema = z
  .string({ error: 'Write a comment first.' })
  .trim()
  .min(1, 'Write a comment first.')
  .max(MAX_COMMENT_CHARS, {
    error: (issue) =>
      `Comments are limited to ${MAX_COMMENT_CHARS.toLocaleString('en')} characters; this one has ${String(issue.input).length.toLocaleString('en')}.`,
  });

function parseBody(body: unknown): string {
  const parsed = commentBodySchema.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

/** A comment that can take replies and edits: it exists and is neither deleted nor hidden. */
function assertOpen(comment: Comment, doing: string): void {
  if (comment.deletedAt) throw new HttpError(409, `That comment was deleted, so you cannot ${doing} it.`);
  if (comment.hidden) throw new HttpError(409, `Moderators hid that comment, so you cannot ${doing} it.`);
}

/** Posts a comment, or a reply when parentId is given; returns the new comment's id and the paper's canonical id. */
export async function postComment(
  ctx: Pick<AppContext, 'db' | 'config' | 'hitCounters'>,
  user: Auth['user'],
  rawPaperId: string,
  input: { body: unknown; parentId: number | null },
  ip: string,
  now = new Date(),
): Promise<{ id: number; paperId: string }> {
  const { db } = ctx;
  await enforceRateLimit(ctx, 'comment', { account: user.id, ip }, now);
  const body = parseBody(input.body);
  const paperId = parsePaperId(rawPaperId)?.id;
  const paper = paperId ? await getPaper(db, paperId) : null;
  if (!paper || paper.hidden) throw new HttpError(404, `There is no paper ${rawPaperId.slice(0, 100)} to comment on.`);
  if (input.parentId !== null) {
    const parent = await getComment(db, input.parentId);
    if (!parent || parent.paperId !== paper.id)
      throw new HttpError(404, 'The comment you are replying to does not exist on this paper.');
    assertOpen(parent, 'reply to');
  }
  const html = renderCommentMarkdown(body);
  const id = await insertComment(db, { paperId: paper.id, userId: user.id, parentId: input.parentId, body, html }, now);
  return { id, paperId: paper.id };
}

/** The caller's own, still open comment, or the reason they cannot change it. */
async function ownOpenComment(
  db: AppContext['db'],
  user: Auth['user'],
  commentId: number,
  doing: string,
): Promise<Comment> {
  const comment = await getComment(db, commentId);
  if (!comment) throw new HttpError(404, 'There is no such comment.');
  if (comment.author.id !== user.id) throw new HttpError(403, `You can only ${doing} your own comments.`);
  assertOpen(comment, doing);
  return comment;
}

export async function editComment(
  { db }: Pick<AppContext, 'db'>,
  user: Auth['user'],
  commentId: number,
  body: unknown,
  now = new Date(),
): Promise<Comment> {
  const comment = await ownOpenComment(db, user, commentId, 'edit');
  const source = parseBody(body);
  await updateCommentBody(db, comment.id, { source, html: renderCommentMarkdown(source) }, now);
  return (await getComment(db, comment.id))!;
}

export async function deleteComment(
  { db }: Pick<AppContext, 'db'>,
  user: Auth['user'],
  commentId: number,
  now = new Date(),
): Promise<Comment> {
  const comment = await ownOpenComment(db, user, commentId, 'delete');
  await softDeleteComment(db, comment, now);
  return comment;
}

/** Renders and stores the HTML of comments written before it was stored (see migration 082); returns how many. */
export async function renderMissingCommentHtml(db: AppContext['db']): Promise<number> {
  let rendered = 0;
  for (let batch = await commentsWithoutHtml(db, 500); batch.length > 0; batch = await commentsWithoutHtml(db, 500)) {
    for (const comment of batch) await storeCommentHtml(db, comment.id, renderCommentMarkdown(comment.body));
    rendered += batch.length;
  }
  return rendered;
}
