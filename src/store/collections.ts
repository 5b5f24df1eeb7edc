import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { CollectionsTable } from '../db/schema.js';

/** A member's named collection of saved papers. */
export interface Collection {
  id: string;
  userId: string;
  name: string;
  description: string;
  public: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CollectionWithCount extends Collection {
  papers: number;
}

function toCollection(row: Selectable<CollectionsTable>): Collection {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    description: row.description,
    public: row.public !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A member already has a collection of that name (names are unique per member, ignoring case). */
export class DuplicateCollectionError extends Error {
  constructor(readonly collectionName: string) {
    super(`You already have a collection named “${collectionName}”.`);
    this.name = 'DuplicateCollectionError';
  }
}

export interface NewCollection {
  userId: string;
  name: string;
  description?: string;
  public?: boolean;
  now?: Date;
}

/** Creates a collection with a random, unguessable id; a taken name raises DuplicateCollectionError. */
export async function createCollection(db: Db, input: NewCollection): Promise<Collection> {
  const now = (input.now ?? new Date()).toISOString();
  const inserted = await db.kysely
    .insertInto('collections')
    .values({
      id: `c_${randomBytes(12).toString('base64url')}`,
      user_id: input.userId,
      name: input.name,
      description: input.description ?? '',
      public: input.public ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) throw new DuplicateCollectionError(input.name);
  return toCollection(inserted);
}

export async function getCollection(db: Db, id: string): Promise<Collection | null> {
  const row = await db.kysely.selectFrom('collections').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCollection(row) : null;
}

export async function countCollections(db: Db, userId: string): Promise<number> {
  const row = await db.kysely
    .selectFrom('collections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A member's collections by name, with how many visible papers each holds; only the public ones when asked. */
export async function listCollections(
  db: Db,
  userId: string,
  options: { publicOnly?: boolean } = {},
): Promise<CollectionWithCount[]> {
  let query = db.kysely
    .selectFrom('collections as c')
    .selectAll('c')
    .select((eb) =>
      eb
        .selectFrom('collection_papers as cp')
        .innerJoin('papers as p', 'p.id', 'cp.paper_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('cp.collection_id', '=', 'c.id')
        .where('p.hidden', '=', 0)
        .as('papers'),
    )
    .where('c.user_id', '=', userId);
  if (options.publicOnly) query = query.where('c.public', '=', 1);
  const rows = await query.orderBy('c.name').orderBy('c.id').execute();
  return rows.map((row) => ({ ...toCollection(row), papers: Number(row.papers ?? 0) }));
}

/** Renames, describes or publishes a member's collection; false when it is not theirs. */
export async function updateCollection(
  db: Db,
  userId: string,
  id: string,
  change: { name?: string; description?: string; public?: boolean },
  now = new Date(),
): Promise<boolean> {
  try {
    const result = await db.kysely
      .updateTable('collections')
      .set({
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(change.description === undefined ? {} : { description: change.description }),
        ...(change.public === undefined ? {} : { public: change.public ? 1 : 0 }),
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  } catch (error) {
    if (change.name !== undefined && isUniqueViolation(error)) throw new DuplicateCollectionError(change.name);
    throw error;
  }
}

/** Deletes a member's collection (the papers stay in their library); false when it is not theirs. */
export async function deleteCollection(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db.kysely
    .deleteFrom('collections')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** better-sqlite3 and pg name a UNIQUE violation differently. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
