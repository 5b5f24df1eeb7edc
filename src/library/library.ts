import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { parsePaperId } from '../ingest/normalize.js';
import {
  countCollections,
  createCollection,
  DuplicateCollectionError,
  getCollection,
  updateCollection,
  type Collection,
} from '../store/collections.js';
import {
  countLibraryItems,
  deleteLibraryItem,
  listLibraryItems,
  removeFromCollection,
  saveLibraryItem,
  type LibraryChange,
  type LibraryItem,
} from '../store/library.js';
import { getPaper, type Paper } from '../store/papers.js';
import { HttpError, invalidInput } from '../errors.js';

/** The bounds of a member's library: each keeps what one member can store, and so every list and export, bounded. */
export const LIBRARY_LIMITS = {
  noteChars: 5_000,
  items: 10_000,
  collections: 200,
  collectionNameChars: 100,
  collectionDescriptionChars: 1_000,
  pageSize: 50,
  maxPageSize: 100,
} as const;

export const noteSchema = z
  .string({ error: 'A note is text.' })
  .max(LIBRARY_LIMITS.noteChars, { error: `Keep the note under ${LIBRARY_LIMITS.noteChars} characters.` })
  .transform((note) => note.trim());

export const collectionNameSchema = z
  .string({ error: 'Name the collection.' })
  .transform((name) => name.trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, { error: 'Name the collection.' })
      .max(LIBRARY_LIMITS.collectionNameChars, {
        error: `Keep the collection’s name under ${LIBRARY_LIMITS.collectionNameChars} characters.`,
      }),
  );

export const collectionDescriptionSchema = z
  .string({ error: 'A description is text.' })
  .max(LIBRARY_LIMITS.collectionDescriptionChars, {
    error: `Keep the description under ${LIBRARY_LIMITS.collectionDescriptionChars} characters.`,
  })
  .transform((text) => text.trim());

/** A collection id as it may arrive; anything else cannot name one and is answered like an unknown id. */
export const collectionIdSchema = z.string().max(64).describe('A collection’s id, as GET /api/collections lists it');

function parsed<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(result.error);
  return result.data;
}

const noSuchCollection = () => new HttpError(404, 'You have no such collection.');

/**
 * The member's own collection. Another member's, private or public, is answered exactly like an id that
 * names none (404, not 403), so ids cannot be probed.
 */
export async function ownCollection(db: Db, userId: string, id: string): Promise<Collection> {
  const collection = await getCollection(db, id);
  if (!collection || collection.userId !== userId) throw noSuchCollection();
  return collection;
}

/** A collection the viewer may read: their own, or anyone's public one; else the same 404 as an unknown id. */
export async function readableCollection(db: Db, viewerId: string | null, id: string): Promise<Collection> {
  const collection = await getCollection(db, id);
  if (!collection || (!collection.public && collection.userId !== viewerId)) throw noSuchCollection();
  return collection;
}

async function visiblePaper(db: Db, rawId: string): Promise<Paper> {
  const id = parsePaperId(rawId)?.id;
  const paper = id ? await getPaper(db, id) : null;
  if (!paper || paper.hidden) throw new HttpError(404, `There is no paper ${rawId.slice(0, 100)}.`);
  return paper;
}

export interface SaveRequest {
  collection?: string;
  note?: string;
  read?: boolean;
}

/**
 * Saves a paper to the member's library, optionally filing it in one of their collections and setting its
 * note and read state; saving a saved paper again applies only the change. Every check comes before the write.
 */
export async function saveToLibrary(
  db: Db,
  userId: string,
  rawPaperId: string,
  request: SaveRequest,
  now = new Date(),
): Promise<LibraryItem> {
  const paper = await visiblePaper(db, rawPaperId);
  const change: LibraryChange = {};
  if (request.note !== undefined) change.note = parsed(noteSchema, request.note);
  if (request.read !== undefined) change.read = request.read;
  if (request.collection !== undefined) change.collectionId = (await ownCollection(db, userId, request.collection)).id;
  const existing = await libraryItem(db, userId, paper.id);
  if (!existing && (await countLibraryItems(db, userId)) >= LIBRARY_LIMITS.items) {
    throw new HttpError(409, `Your library is full (${LIBRARY_LIMITS.items} papers); remove some papers first.`);
  }
  await saveLibraryItem(db, userId, paper.id, change, now);
  return (await libraryItem(db, userId, paper.id))!;
}

/**
 * Takes a paper out of the member's library (and all their collections), or, with a collection, out of that
 * collection only. A paper that was not there is a 404.
 */
export async function removeFromLibrary(
  db: Db,
  userId: string,
  rawPaperId: string,
  collection?: string,
): Promise<void> {
  const id = parsePaperId(rawPaperId)?.id;
  const notThere = () => new HttpError(404, `${rawPaperId.slice(0, 100)} is not in your library.`);
  if (!id) throw notThere();
  if (collection === undefined) {
    if (!(await deleteLibraryItem(db, userId, id))) throw notThere();
    return;
  }
  const own = await ownCollection(db, userId, collection);
  if (!(await removeFromCollection(db, own.id, id)))
    throw new HttpError(404, `${rawPaperId.slice(0, 100)} is not in that collection.`);
}

/** One saved paper of the member, or null. */
export async function libraryItem(db: Db, userId: string, paperId: string): Promise<LibraryItem | null> {
  const { items } = await listLibraryItems(db, { userId, paperId, limit: 1 });
  return items[0] ?? null;
}

export interface LibraryPageRequest {
  collection?: string;
  read?: boolean;
  limit: number;
  offset: number;
}

/** A page of the member's library, filtered by one of their collections and by read state. */
export async function libraryPage(db: Db, userId: string, request: LibraryPageRequest) {
  const collection = request.collection === undefined ? null : await ownCollection(db, userId, request.collection);
  const page = await listLibraryItems(db, {
    userId,
    collectionId: collection?.id,
    read: request.read,
    limit: request.limit,
    offset: request.offset,
  });
  return { ...page, collection };
}

export interface CollectionRequest {
  name: string;
  description?: string;
  public?: boolean;
}

/** Creates a collection for the member: a name of their own (case ignored), within the per-member limit. */
export async function newCollection(db: Db, userId: string, request: CollectionRequest): Promise<Collection> {
  const name = parsed(collectionNameSchema, request.name);
  const description = parsed(collectionDescriptionSchema, request.description ?? '');
  if ((await countCollections(db, userId)) >= LIBRARY_LIMITS.collections) {
    throw new HttpError(409, `You have ${LIBRARY_LIMITS.collections} collections, the most one member may have.`);
  }
  try {
    return await createCollection(db, { userId, name, description, public: request.public ?? false });
  } catch (error) {
    if (error instanceof DuplicateCollectionError) throw new HttpError(409, error.message);
    throw error;
  }
}

/** Renames, describes or publishes (or makes private) one of the member's collections. */
export async function changeCollection(
  db: Db,
  userId: string,
  id: string,
  request: Partial<CollectionRequest>,
): Promise<Collection> {
  const own = await ownCollection(db, userId, id);
  const change = {
    name: request.name === undefined ? undefined : parsed(collectionNameSchema, request.name),
    description:
      request.description === undefined ? undefined : parsed(collectionDescriptionSchema, request.description),
    public: request.public,
  };
  try {
    await updateCollection(db, userId, own.id, change);
  } catch (error) {
    if (error instanceof DuplicateCollectionError) throw new HttpError(409, error.message);
    throw error;
  }
  return (await getCollection(db, own.id))!;
}
