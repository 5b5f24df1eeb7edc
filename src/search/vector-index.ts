import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { activeEmbeddingModel, countVectors, vectorsSince, type EmbeddingModelRow } from '../store/embeddings.js';
import { ThreadClient } from '../thread.js';
import { VECTOR_SCALAR, type VectorScalar } from './hnsw.js';
import { PgvectorIndex } from './pgvector.js';

/** A paper's vector key and its cosine similarity to the query. */
export interface VectorMatch {
  key: number;
  similarity: number;
}

/** Nearest-neighbour search over the active model's vectors, whichever engine serves it. */
export interface VectorIndex {
  readonly model: EmbeddingModelRow;
  size(): number;
  /** Catches up with the vectors written up to this revision of the model. */
  sync(db: Db, revision: number): Promise<void>;
  /** The `k` nearest vectors to a unit query vector, nearest first. */
  search(query: Float32Array, k: number): Promise<VectorMatch[]>;
  /** Releases what it holds (a thread) once a newer model's index replaces it. */
  close?(): Promise<void>;
}

/**
 * Approximate nearest neighbours over the active model's vectors: an HNSW graph (usearch) kept in
 * step with paper_embeddings by revision. The graph lives on its own worker thread
 * (usearch-thread.ts): building, loading and saving it take seconds to tens of seconds on a large
 * corpus, and pages keep answering meanwhile. On SQLite it is saved beside the database file, so a
 * restart loads it and replays only what changed since; a file that does not match the model or
 * its recorded size is rebuilt. On PostgreSQL it lives in memory, rebuilt from the table at start.
 * Removed papers may linger in the graph until the next rebuild: searches join every match back
 * to visible papers, so they are never shown.
 */
export class UsearchIndex implements VectorIndex {
  private revision = 0;
  private count = 0;
  private changesSinceSave = 0;
  private syncing: Promise<void> | null = null;

  private constructor(
    readonly model: EmbeddingModelRow,
    private readonly thread: ThreadClient,
    private readonly file: string | null,
  ) {}

  /** Opens the index of this model: loads the saved file when it matches, or starts empty. */
  static async open(
    db: Db,
    model: EmbeddingModelRow,
    file: string | null,
  ): Promise<{ index: UsearchIndex; loaded: boolean }> {
    const index = new UsearchIndex(
      model,
      new ThreadClient(new URL('./usearch-thread.ts', import.meta.url), 'vector index'),
      file,
    );
    const saved = file ? readMeta(file) : null;
    if (
      file &&
      saved &&
      saved.modelId === model.id &&
      saved.dimensions === model.dimensions &&
      // A file saved with other scalars (32-bit floats, before 8-bit vectors) is rebuilt in the new form.
      saved.scalar === VECTOR_SCALAR &&
      saved.revision <= model.revision
    ) {
      const size = await index.thread.call<number | null>('load', [
        file,
        saved.sha256,
        model.dimensions,
        VECTOR_SCALAR,
      ]);
      // Deleted vectors linger in the graph; past a fifth of dead weight, start over.
      if (size === saved.size && (await countVectors(db, model.id)) >= saved.size * 0.8) {
        index.revision = saved.revision;
        index.count = size;
        return { index, loaded: true };
      }
    }
    // A file that does not match is dropped, so the rebuild is saved however few vectors it holds.
    if (file) removeIndexFiles(file);
    await index.thread.call('create', [model.dimensions, VECTOR_SCALAR]);
    return { index, loaded: false };
  }

  size(): number {
    return this.count;
  }

  /** Brings in every vector written since the last sync (one concurrent sync at a time). */
  async sync(db: Db, revision: number): Promise<void> {
    while (this.revision < revision) {
      this.syncing ??= this.catchUp(db, revision).finally(() => (this.syncing = null));
      await this.syncing;
    }
  }

  /** Every row up to `target` is committed before the target was read, so after this pass the index holds them all. */
  private async catchUp(db: Db, target: number): Promise<void> {
    let after = 0;
    let newest = this.revision;
    for (;;) {
      const rows = await vectorsSince(db, this.model.id, this.revision, after, 4096);
      if (rows.length === 0) break;
      // A vector of zeros (a text with no known word) is near nothing; cosine is undefined for it.
      const kept = rows.filter((r) => r.vector.some((x) => x !== 0));
      const matrix = new Float32Array(kept.length * this.model.dimensions);
      for (const [i, r] of kept.entries()) matrix.set(r.vector, i * this.model.dimensions);
      const keys = rows.map((r) => r.key);
      this.count = await this.thread.call<number>('upsert', [keys, kept.map((r) => r.key), matrix], [matrix.buffer]);
      for (const r of rows) newest = Math.max(newest, r.revision);
      after = rows.at(-1)!.key;
      this.changesSinceSave += rows.length;
    }
    this.revision = Math.max(newest, target);
    // Saving costs a full write of the graph: after a rebuild or a batch of changes, not per paper.
    if (this.file && (this.changesSinceSave >= 1000 || !existsSync(this.file))) await this.save();
  }

  /** Writes the graph and what it holds (model, revision, size) beside the database, atomically. */
  async save(): Promise<void> {
    if (!this.file) return;
    const meta = {
      modelId: this.model.id,
      dimensions: this.model.dimensions,
      scalar: VECTOR_SCALAR,
      revision: this.revision,
    };
    await this.thread.call('save', [this.file, meta]);
    this.changesSinceSave = 0;
  }

  async search(query: Float32Array, k: number): Promise<VectorMatch[]> {
    if (this.count === 0 || k <= 0) return [];
    // usearch reads the whole backing buffer: pass a copy, never a view into a larger array.
    const matches = await this.thread.call<{ keys: Float64Array; distances: Float32Array }>('search', [
      query.slice(),
      Math.min(k, this.count),
    ]);
    return Array.from(matches.keys, (key, i) => ({ key, similarity: 1 - matches.distances[i]! }));
  }

  /** Stops the thread (when a newer model's index replaces this one). */
  close(): Promise<void> {
    return this.thread.close();
  }
}

interface IndexMeta {
  modelId: string;
  dimensions: number;
  /** How the vectors are stored; absent in files saved before 8-bit vectors (32-bit floats). */
  scalar?: VectorScalar;
  revision: number;
  size: number;
  sha256: string;
}

function readMeta(file: string): IndexMeta | null {
  if (!existsSync(file) || !existsSync(`${file}.json`)) return null;
  try {
    return JSON.parse(readFileSync(`${file}.json`, 'utf8')) as IndexMeta;
  } catch {
    return null;
  }
}

/** Where the index of a database is saved: beside a SQLite file; nowhere for in-memory or PostgreSQL databases. */
export function indexFile(db: Db): string | null {
  const file = dialectOf(db).file(db.location);
  return file === null ? null : `${file}.vectors.usearch`;
}

export function removeIndexFiles(file: string): void {
  for (const path of [file, `${file}.json`]) rmSync(path, { force: true });
}

let saidNoPgvector = false;

/** pgvector on PostgreSQL where it can be used; otherwise usearch (in memory there, saved beside a SQLite file). */
async function openIndex(db: Db, model: EmbeddingModelRow): Promise<VectorIndex> {
  if (dialectOf(db).vectorIndexInDatabase) {
    const pgvector = await PgvectorIndex.open(db, model);
    if (pgvector) return pgvector;
    if (!saidNoPgvector) {
      // Said once per process (a process-wide warning), so an operator knows why the first search is slower.
      saidNoPgvector = true;
      process.emitWarning(
        'pgvector is not installed: semantic search builds an in-process usearch index from paper_embeddings (see README, PostgreSQL)',
        { code: 'DAILYPAPERS_VECTOR_INDEX' },
      );
    }
  }
  return (await UsearchIndex.open(db, model, indexFile(db))).index;
}

/**
 * The active model's vector index of one database, opened once and closed with the app context that
 * owns it. Every pool of that database (the web pool, the background one) shares it: `db` only says
 * which connection reads.
 */
export class VectorIndexes {
  #open: Promise<VectorIndex> | null = null;
  /** The index that has caught up with its model's vectors at least once. */
  #ready: VectorIndex | null = null;
  #closed = false;

  /**
   * The index of the active model, synced with the stored vectors; null when no model is active.
   * Opening it the first time loads or rebuilds it; afterwards a search pays one indexed one-row
   * read to learn whether anything changed.
   */
  async active(db: Db): Promise<VectorIndex | null> {
    const model = await activeEmbeddingModel(db);
    return model ? this.openAndSync(db, model) : null;
  }

  private async openAndSync(db: Db, model: EmbeddingModelRow): Promise<VectorIndex> {
    let index = this.#open ? await this.#open : null;
    if (!index || index.model.id !== model.id) {
      void index?.close?.();
      const pending = openIndex(db, model);
      this.#open = pending;
      pending.catch(() => {
        if (this.#open === pending) this.#open = null;
      });
      index = await pending;
    }
    await index.sync(db, model.revision);
    this.#ready = index;
    // Closed while it opened: what it opened is released too.
    if (this.#closed) await this.close();
    return index;
  }

  /**
   * For a server answering requests: the active model's index once it has been loaded or built,
   * synced like `active`; until then null at once, while the load or build goes on in the
   * background (on its own thread), so no request waits for it.
   */
  async ready(db: Db): Promise<VectorIndex | null> {
    const model = await activeEmbeddingModel(db);
    if (!model) return null;
    // The model just read, not read again: a search pays for one model lookup here.
    const opening = this.openAndSync(db, model);
    opening.catch(() => {}); // A failed build is tried again by the next request.
    const index = this.#ready;
    if (index?.model.id !== model.id) return null;
    // A few new vectors are added before answering; a large catch-up (a corpus just embedded) goes on
    // in the background while the index answers as it is (matches are joined back to visible papers).
    return Promise.race([opening, delay(SYNC_WAIT_MS).then(() => index)]);
  }

  /** Releases the index (its thread); an index still opening is released when it opens. */
  async close(): Promise<void> {
    this.#closed = true;
    const open = this.#open;
    this.#open = null;
    this.#ready = null;
    const index = await open?.catch(() => null);
    await index?.close?.();
  }
}

/** How long a request waits for new vectors to reach the index before searching it as it is. */
const SYNC_WAIT_MS = 250;
