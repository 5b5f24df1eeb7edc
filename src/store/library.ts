import type { Db } from '../db/connection.js';
import { withTransaction } from '../db/transaction.js';
import { toPaper, type Paper } from './papers.js';

/** A paper in a member's library, with their note, read state and the collections holding it. */
export interface LibraryItem {
  paper: Paper;
  note: string;
  readAt: string | null;
  savedAt: string;
  collectionIds: string[];
}

export interface LibraryChange {
  /** Replaces the note ('' clears it). */
  note?: string;
  read?: boolean;
  /** Also files the paper in this collection (which must be the member's: checked by the caller). */
  collectionId?: string;
}

/**
 * Saves a paper to a member's library (once; saving again keeps the first saved_at) and applies the
 * change, in one transaction. Answers whether the paper was new to the library.
 */
export async function saveLibraryItem(
  db: Db,
  userId: string,
  paperId: string,
  change: LibraryChange,
  now = new Date(),
): Promise<boolean> {
  const at = now.toISOString();
  return withTransaction(db, async (tx) => {
    const inserted = await tx.kysely
      .insertInto('library_items')
      .values({ user_id: userId, paper_id: paperId, saved_at: at, read_at: null })
      .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
      .executeTakeFirst();
    const read = change.read === undefined ? {} : { read_at: change.read ? at : null };
    const note = change.note === undefined ? {} : { note: change.note };
    if (change.read !== undefined || change.note !== undefined) {
      let update = tx.kysely
        .updateTable('library_items')
        .set({ ...read, ...note })
        .where('user_id', '=', userId)
        .where('paper_id', '=', paperId);
      // Marking a read paper read again keeps the day it was first read.
      if (change.read === true && change.note === undefined) update = update.where('read_at', 'is', null);
      await update.execute();
    }
    if (change.collectionId !== undefined) {
      await tx.kysely
        .insertInto('collection_papers')
        .values({ collection_id: change.collectionId, paper_id: paperId, added_at: at })
        .onConflict((oc) => oc.columns(['collection_id', 'paper_id']).doNothing())
        .execute();
    }
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  });
}

/** Takes a paper out of a member's library and out of every collection of theirs; false when it was not there. */
export async function deleteLibraryItem(db: Db, userId: string, paperId: string): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    await tx.kysely
      .deleteFrom('collection_papers')
      .where('paper_id', '=', paperId)
      .where('collection_id', 'in', (eb) => eb.selectFrom('collections').select('id').where('user_id', '=', userId))
      .execute();
    const result = await tx.kysely
      .deleteFrom('library_items')
      .where('user_id', '=', userId)
      .where('paper_id', '=', paperId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
}

/** Takes a paper out of one collection (it stays in the library); false when the collection did not hold it. */
export async function removeFromCollection(db: Db, collectionId: string, paperId: string): Promise<boolean> {
  const result = await db.kysely
    .deleteFrom('collection_papers')
    .where('collection_id', '=', collectionId)
    .where('paper_id', '=', paperId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countLibraryItems(db: Db, userId: string): Promise<number> {
  const row = await db.kysely
    .selectFrom('library_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface LibraryQuery {
  userId: string;
  /** Only papers in this collection (the caller has checked it is the member's). */
  collectionId?: string;
  /** Only read (true) or unread (false) papers. */
  read?: boolean;
  /** Only this paper. */
  paperId?: string;
  limit: number;
  offset?: number;
}

/**
 * A page of a member's library, most recently saved first; papers moderators removed are left out.
 * Also counts every item the filters match, for paging.
 */
export async function listLibraryItems(db: Db, query: LibraryQuery): Promise<{ items: LibraryItem[]; total: number }> {
  let base = db.kysely
    .selectFrom('library_items as li')
    .innerJoin('papers as p', 'p.id', 'li.paper_id')
    .where('li.user_id', '=', query.userId)
    .where('p.hidden', '=', 0);
  if (query.collectionId !== undefined) {
    const collectionId = query.collectionId;
    base = base.where('li.paper_id', 'in', (eb) =>
      eb.selectFrom('collection_papers').select('paper_id').where('collection_id', '=', collectionId),
    );
  }
  if (query.read !== undefined) base = base.where('li.read_at', query.read ? 'is not' : 'is', null);
  if (query.paperId !== undefined) base = base.where('li.paper_id', '=', query.paperId);
  const [rows, count] = await Promise.all([
    base
      .selectAll('p')
      .select(['li.note', 'li.read_at', 'li.saved_at'])
      .orderBy('li.saved_at', 'desc')
      .orderBy('li.paper_id')
      .limit(query.limit)
      .offset(query.offset ?? 0)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const filed = await collectionsHolding(
    db,
    query.userId,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((row) => ({
      paper: toPaper(row),
      note: row.note,
      readAt: row.read_at,
      savedAt: row.saved_at,
      collectionIds: filed.get(row.id) ?? [],
    })),
    total: Number(count.n),
  };
}

/** Which of the member's collections hold each of these papers. */
async function collectionsHolding(db: Db, userId: string, paperIds: string[]): Promise<Map<string, string[]>> {
  const filed = new Map<string, string[]>();
  if (paperIds.length === 0) return filed;
  const rows = await db.kysely
    .selectFrom('collection_papers as cp')
    .innerJoin('collections as c', 'c.id', 'cp.collection_id')
    .select(['cp.paper_id', 'cp.collection_id'])
    .where('c.user_id', '=', userId)
    .where('cp.paper_id', 'in', paperIds)
    .orderBy('c.name')
    .execute();
  for (const row of rows) filed.set(row.paper_id, [...(filed.get(row.paper_id) ?? []), row.collection_id]);
  return filed;
}

/** Which of these papers the member has saved (for the Save buttons of a page). */
export async function savedPaperIds(db: Db, userId: string, paperIds: string[]): Promise<Set<string>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db.kysely
    .selectFrom('library_items')
    .select('paper_id')
    .where('user_id', '=', userId)
    .where('paper_id', 'in', paperIds)
    .execute();
  return new Set(rows.map((r) => r.paper_id));
}

/** A collection's visible papers, most recently added first (for its page, its feeds and exports). */
export async function listCollectionPapers(
  db: Db,
  collectionId: string,
  options: { limit: number; offset?: number },
): Promise<{ paper: Paper; addedAt: string }[]> {
  const rows = await db.kysely
    .selectFrom('collection_papers as cp')
    .innerJoin('papers as p', 'p.id', 'cp.paper_id')
    .selectAll('p')
    .select('cp.added_at')
    .where('cp.collection_id', '=', collectionId)
    .where('p.hidden', '=', 0)
    .orderBy('cp.added_at', 'desc')
    .orderBy('cp.paper_id')
    .limit(options.limit)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map((row) => ({ paper: toPaper(row), addedAt: row.added_at }));
}
