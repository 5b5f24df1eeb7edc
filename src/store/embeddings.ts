import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { withTransaction } from '../db/transaction.js';

/** The embedding model new vectors are computed with, as the database records it. */
export interface EmbeddingModelRow {
  id: string;
  /** 'lsa': learned from the papers, its data is the model; 'transformers': a model outside the database (a transformers.js folder or an embeddings server), its data says which. */
  kind: 'lsa' | 'transformers';
  dimensions: number;
  fittedPapers: number;
  revision: number;
}

export interface StoredVector {
  key: number;
  paperId: string;
  vector: Float32Array;
}

/** A vector from its storage form (bytes are copied: a driver's buffer may not be 4-byte aligned). */
export function vectorFromStored(stored: Uint8Array | number[]): Float32Array {
  if (Array.isArray(stored)) return Float32Array.from(stored);
  const vector = new Float32Array(stored.byteLength / 4);
  new Uint8Array(vector.buffer).set(stored);
  return vector;
}

export async function activeEmbeddingModel(db: Db): Promise<EmbeddingModelRow | null> {
  const row = await db.kysely
    .selectFrom('embedding_models')
    .select(['id', 'kind', 'dimensions', 'fitted_papers', 'revision'])
    .where('active', '=', 1)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        kind: row.kind,
        dimensions: row.dimensions,
        fittedPapers: row.fitted_papers,
        revision: row.revision,
      }
    : null;
}

export async function embeddingModelData(db: Db, id: string): Promise<Uint8Array | null> {
  const row = await db.kysely
    .selectFrom('embedding_model_data')
    .select('data')
    .where('model_id', '=', id)
    .executeTakeFirst();
  return row?.data ?? null;
}

/**
 * Makes a model the active one. Vectors of any other model live in another space and cannot be
 * compared with the new ones, so the other models and their vectors are removed in the same transaction.
 */
export async function activateEmbeddingModel(
  db: Db,
  model: { id: string; kind: 'lsa' | 'transformers'; dimensions: number; fittedPapers: number; data: Uint8Array },
): Promise<void> {
  await withTransaction(db, async (tx) => {
    await tx.kysely.deleteFrom('embedding_models').where('id', '<>', model.id).execute();
    // pgvector's index is built for one dimension count; the next search rebuilds it for this model's.
    if (dialectOf(db).vectorIndexInDatabase) await sql`DROP INDEX IF EXISTS paper_embeddings_hnsw`.execute(tx.kysely);
    await tx.kysely
      .insertInto('embedding_models')
      .values({
        id: model.id,
        kind: model.kind,
        dimensions: model.dimensions,
        fitted_papers: model.fittedPapers,
        active: 1,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('id').doUpdateSet({ active: 1 }))
      .execute();
    await tx.kysely
      .insertInto('embedding_model_data')
      .values({ model_id: model.id, data: model.data })
      .onConflict((oc) => oc.column('model_id').doUpdateSet({ data: sql`excluded.data` }))
      .execute();
  });
}

export interface PaperText {
  id: string;
  title: string;
  abstract: string;
  modifiedAt: string;
}

/** Visible papers with no vector from this model, or whose vector predates their last edit. */
function stalePapers(db: Db, modelId: string) {
  return db.kysely
    .selectFrom('papers')
    .leftJoin('paper_embeddings', 'paper_embeddings.paper_id', 'papers.id')
    .where('papers.hidden', '=', 0)
    .where((eb) =>
      eb.or([
        eb('paper_embeddings.paper_id', 'is', null),
        eb('paper_embeddings.model_id', '<>', modelId),
        eb('paper_embeddings.paper_modified_at', '<>', eb.ref('papers.modified_at')),
      ]),
    );
}

/** The next stale papers in id order after `afterId` (paging by key: each batch reads only its own rows). */
export async function papersToEmbed(db: Db, modelId: string, limit: number, afterId = ''): Promise<PaperText[]> {
  const rows = await stalePapers(db, modelId)
    .where('papers.id', '>', afterId)
    .select(['papers.id', 'papers.title', 'papers.abstract', 'papers.modified_at'])
    .orderBy('papers.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, abstract: r.abstract, modifiedAt: r.modified_at }));
}

export async function countPapersToEmbed(db: Db, modelId: string): Promise<number> {
  const row = await stalePapers(db, modelId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Stores vectors (replacing a paper's previous one, keeping its key) under a new revision of the model. */
export async function writeVectors(
  db: Db,
  modelId: string,
  rows: { paperId: string; modifiedAt: string; vector: Float32Array }[],
): Promise<void> {
  if (rows.length === 0) return;
  await withTransaction(db, async (tx) => {
    const bumped = await tx.kysely
      .updateTable('embedding_models')
      .set((eb) => ({ revision: eb('revision', '+', 1) }))
      .where('id', '=', modelId)
      .returning('revision')
      .executeTakeFirstOrThrow();
    const { storedVector } = dialectOf(db);
    // 5 parameters a row: 500 rows stay far below SQLite's limit.
    for (let start = 0; start < rows.length; start += 500) {
      const group = rows.slice(start, start + 500);
      await tx.kysely
        .insertInto('paper_embeddings')
        .values(
          group.map((r) => ({
            paper_id: r.paperId,
            model_id: modelId,
            vector: storedVector(r.vector),
            paper_modified_at: r.modifiedAt,
            revision: bumped.revision,
          })),
        )
        .onConflict((oc) =>
          oc.column('paper_id').doUpdateSet({
            model_id: sql`excluded.model_id`,
            vector: sql`excluded.vector`,
            paper_modified_at: sql`excluded.paper_modified_at`,
            revision: sql`excluded.revision`,
          }),
        )
        .execute();
    }
  });
}

/** Drops every vector of a model, so each paper is embedded again. */
export async function deleteModelVectors(db: Db, modelId: string): Promise<void> {
  await db.kysely.deleteFrom('paper_embeddings').where('model_id', '=', modelId).execute();
}

/** Drops the vectors of hidden papers (search excludes them anyway; this keeps the index small). */
export async function deleteHiddenVectors(db: Db): Promise<number> {
  const result = await db.kysely
    .deleteFrom('paper_embeddings')
    .where('paper_id', 'in', (eb) => eb.selectFrom('papers').select('id').where('hidden', '=', 1))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Vectors of this model written after `revision`, in pages ordered by key. */
export async function vectorsSince(
  db: Db,
  modelId: string,
  revision: number,
  afterKey: number,
  limit: number,
): Promise<(StoredVector & { revision: number })[]> {
  const rows = await db.kysely
    .selectFrom('paper_embeddings')
    .select(['key', 'paper_id', 'vector', 'revision'])
    .where('model_id', '=', modelId)
    .where('revision', '>', revision)
    .where('key', '>', afterKey)
    .orderBy('key')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    key: Number(r.key),
    paperId: r.paper_id,
    vector: vectorFromStored(r.vector),
    revision: r.revision,
  }));
}

export async function countVectors(db: Db, modelId: string): Promise<number> {
  const row = await db.kysely
    .selectFrom('paper_embeddings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('model_id', '=', modelId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The stored vectors of these papers (those that have one from this model). */
export async function vectorsOfPapers(db: Db, modelId: string, paperIds: string[]): Promise<Map<string, StoredVector>> {
  if (paperIds.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('paper_embeddings')
    .select(['key', 'paper_id', 'vector'])
    .where('model_id', '=', modelId)
    .where('paper_id', 'in', paperIds)
    .execute();
  return new Map(
    rows.map((r) => [r.paper_id, { key: Number(r.key), paperId: r.paper_id, vector: vectorFromStored(r.vector) }]),
  );
}

export interface CorpusSample {
  /** Visible papers in the corpus. */
  papers: number;
  /** Title and abstract of the sampled papers, in id order. */
  texts: { title: string; abstract: string }[];
}

/** Ids are read this many at a time while sampling, texts fetched this many at a time. */
const SAMPLE_ID_PAGE = 50_000;
const SAMPLE_TEXT_BATCH = 1_000;

/**
 * Title and abstract of an even spread of at most `max` visible papers (every one when there are fewer): what the
 * corpus-learned model is fitted on and words are counted over. Only ids are read for the spread, a page at a
 * time, and then only the sampled papers' texts: every text of 2.5M papers would be gigabytes in this process.
 */
export async function corpusSample(db: Db, max: number, idPage = SAMPLE_ID_PAGE): Promise<CorpusSample> {
  const counted = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('hidden', '=', 0)
    .executeTakeFirstOrThrow();
  const papers = Number(counted.n);
  const step = Math.max(1, papers / max);
  const sampled: string[] = [];
  let index = 0;
  let next = 0; // papers at floor(0), floor(step), floor(2 step), ... in id order
  for (let after = ''; ; ) {
    const page = await db.kysely
      .selectFrom('papers')
      .select('id')
      .where('hidden', '=', 0)
      .where('id', '>', after)
      .orderBy('id')
      .limit(idPage)
      .execute();
    for (const { id } of page) {
      if (index++ === Math.floor(next)) {
        sampled.push(id);
        next += step;
      }
    }
    if (page.length < idPage) break;
    after = page.at(-1)!.id;
  }
  const texts: CorpusSample['texts'] = [];
  for (let i = 0; i < sampled.length; i += SAMPLE_TEXT_BATCH) {
    const ids = sampled.slice(i, i + SAMPLE_TEXT_BATCH);
    const rows = await db.kysely
      .selectFrom('papers')
      .select(['id', 'title', 'abstract'])
      .where('id', 'in', ids)
      .execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    // A paper deleted since its id was read is left out.
    for (const id of ids) {
      const row = byId.get(id);
      if (row) texts.push({ title: row.title, abstract: row.abstract });
    }
  }
  return { papers, texts };
}
