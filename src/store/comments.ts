import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { withTransaction } from '../db/transaction.js';
import { lockPaper } from './votes.js';

export interface Comment {
  id: number;
  paperId: string;
  parentId: number | null;
  /** `username` is null for a deleted account (shown as DELETED_MEMBER). */
  author: { id: string; username: string | null };
  /** Markdown source; empty once deleted. */
  body: string;
  /** `body` as sanitised HTML, rendered when written (empty once deleted). */
  html: string;
  hidden: boolean;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

const commentColumns = [
  'comments.id',
  'comments.paper_id',
  'comments.parent_id',
  'comments.user_id',
  'users.username',
  'users.deleted_at as author_deleted_at',
  'comments.body',
  'comments.body_html',
  'comments.hidden',
  'comments.created_at',
  'comments.edited_at',
  'comments.deleted_at',
] as const;

function baseQuery(db: Db) {
  return db.kysely.selectFrom('comments').innerJoin('users', 'users.id', 'comments.user_id').select(commentColumns);
}

type CommentRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toComment(row: CommentRow): Comment {
  return {
    id: Number(row.id),
    paperId: row.paper_id,
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    author: { id: row.user_id, username: row.author_deleted_at ? null : row.username },
    body: row.body,
    // NULL only between migration 082 and the back-fill that `migrate` and `serve` run.
    html: row.body_html ?? '',
    hidden: row.hidden !== 0,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deletedAt: row.deleted_at,
  };
}

/**
 * Sets num_comments from the rows: comments that are neither deleted nor hidden. The paper is locked
 * first and counted after, under the discipline of votes (see lockPaper), so concurrent writers never
 * lose a count.
 */
async function rederiveCommentCount(tx: Db, paperId: string): Promise<void> {
  // SQLite's writers already take turns; only concurrent writers need the row lock.
  if (dialectOf(tx).concurrentWriters) await lockPaper(tx, paperId);
  const visibleComments = tx.kysely
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('paper_id', '=', paperId)
    .where('deleted_at', 'is', null)
    .where('hidden', '=', 0);
  await tx.kysely.updateTable('papers').set({ num_comments: visibleComments }).where('id', '=', paperId).execute();
}

/** A member's comments that are not deleted, newest first (for their history and data export). */
export async function listCommentsBy(db: Db, userId: string, limit: number): Promise<Comment[]> {
  const rows = await baseQuery(db)
    .where('comments.user_id', '=', userId)
    .where('comments.deleted_at', 'is', null)
    .orderBy('comments.created_at', 'desc')
    .orderBy('comments.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toComment);
}

export async function getComment(db: Db, id: number): Promise<Comment | null> {
  const row = await baseQuery(db).where('comments.id', '=', id).executeTakeFirst();
  return row ? toComment(row) : null;
}

/** Every comment on a paper, oldest first (the caller builds the thread). */
export async function listComments(db: Db, paperId: string): Promise<Comment[]> {
  const rows = await baseQuery(db)
    .where('comments.paper_id', '=', paperId)
    .orderBy('comments.created_at')
    .orderBy('comments.id')
    .execute();
  return rows.map(toComment);
}

export async function insertComment(
  db: Db,
  input: { paperId: string; userId: string; parentId: number | null; body: string; html: string },
  now = new Date(),
): Promise<number> {
  return withTransaction(db, async (tx) => {
    const row = await tx.kysely
      .insertInto('comments')
      .values({
        paper_id: input.paperId,
        user_id: input.userId,
        parent_id: input.parentId,
        body: input.body,
        body_html: input.html,
        created_at: now.toISOString(),
        edited_at: null,
        deleted_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await rederiveCommentCount(tx, input.paperId);
    return Number(row.id);
  });
}

export async function updateCommentBody(
  db: Db,
  id: number,
  body: { source: string; html: string },
  now = new Date(),
): Promise<void> {
  await db.kysely
    .updateTable('comments')
    .set({ body: body.source, body_html: body.html, edited_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Up to `limit` comments whose HTML was never stored (rows from before migration 082), by id. */
export async function commentsWithoutHtml(db: Db, limit: number): Promise<{ id: number; body: string }[]> {
  const rows = await db.kysely
    .selectFrom('comments')
    .select(['id', 'body'])
    .where('body_html', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: Number(row.id), body: row.body }));
}

export async function storeCommentHtml(db: Db, id: number, html: string): Promise<void> {
  await db.kysely.updateTable('comments').set({ body_html: html }).where('id', '=', id).execute();
}

/** Deletes a comment's text but keeps its place in the thread, so replies stay readable. */
export async function softDeleteComment(db: Db, comment: Comment, now = new Date()): Promise<void> {
  await withTransaction(db, async (tx) => {
    await tx.kysely
      .updateTable('comments')
      .set({ body: '', body_html: '', deleted_at: now.toISOString() })
      .where('id', '=', comment.id)
      .execute();
    await rederiveCommentCount(tx, comment.paperId);
  });
}

export async function setCommentHidden(db: Db, comment: Comment, hidden: boolean): Promise<void> {
  await withTransaction(db, async (tx) => {
    await tx.kysely
      .updateTable('comments')
      .set({ hidden: hidden ? 1 : 0 })
      .where('id', '=', comment.id)
      .execute();
    await rederiveCommentCount(tx, comment.paperId);
  });
}
