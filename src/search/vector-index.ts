import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Index, MetricKind, ScalarKind } from 'usearch';
import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { activeEmbeddingModel, countVectors, vectorsSince, type EmbeddingModelRow } from '../store/embeddings.js';
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
}

/**
 * Approximate nearest neighbours over the active model's vectors: an HNSW graph (usearch) kept in
 * step with paper_embeddings by revision. On SQLite it is saved beside the database file, so a
 * restart loads it and replays only what changed since; a file that does not match the model or
 * its recorded size is rebuilt. On PostgreSQL it lives in memory, rebuilt from the table at start.
 * Removed papers may linger in the graph until the next rebuild: searches join every match back
 * to visible papers, so they are never shown.
 */
export class UsearchIndex implements VectorIndex {
  private revision = 0;
  private changesSinceSave = 0;
  private syncing: Promise<void> | null = null;

  private constructor(
    readonly model: EmbeddingModelRow,
    private readonly index: Index,
    private readonly file: string | null,
  ) {}

  /** Opens the index of this model: loads the saved file when it matches, or starts empty. */
  static async open(db: Db, model: EmbeddingModelRow, file: string | null): Promise<{ index: UsearchIndex; loaded: boolean }> {
    // expansion_search 512: recall@10 against exact search on the 97k corpus: 0.88 at 96, 0.94 at 256, 0.955 at 512; a search still takes a few ms.
    const fresh = () => new Index({ dimensions: model.dimensions, metric: MetricKind.Cos, quantization: ScalarKind.F32, connectivity: 16, expansion_add: 128, expansion_search: 512, multi: false });
    const saved = file ? readMeta(file) : null;
    // The native loader trusts the file: a damaged one could crash the process, so it is checked against the digest saved with it.
    if (file && saved && saved.modelId === model.id && saved.dimensions === model.dimensions && saved.revision <= model.revision && fileDigest(file) === saved.sha256) {
      const index = fresh();
      try {
        index.load(file);
        // Deleted vectors linger in the graph; past a fifth of dead weight, start over.
        const live = await countVectors(db, model.id);
        if (index.size() === saved.size && index.dimensions() === model.dimensions && live >= saved.size * 0.8) {
          const opened = new UsearchIndex(model, index, file);
          opened.revision = saved.revision;
          return { index: opened, loaded: true };
        }
      } catch {
        // A truncated or foreign file: rebuilt below.
      }
    }
    return { index: new UsearchIndex(model, fresh(), file), loaded: false };
  }

  size(): number {
    return this.index.size();
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
      const stale = rows.filter((r) => this.index.contains(BigInt(r.key)));
      if (stale.length > 0) this.index.remove(BigUint64Array.from(stale, (r) => BigInt(r.key)));
      // A vector of zeros (a text with no known word) is near nothing; cosine is undefined for it.
      const kept = rows.filter((r) => r.vector.some((x) => x !== 0));
      if (kept.length > 0) {
        const matrix = new Float32Array(kept.length * this.model.dimensions);
        for (const [i, r] of kept.entries()) matrix.set(r.vector, i * this.model.dimensions);
        this.index.add(BigUint64Array.from(kept, (r) => BigInt(r.key)), matrix);
      }
      for (const r of rows) newest = Math.max(newest, r.revision);
      after = rows.at(-1)!.key;
      this.changesSinceSave += rows.length;
    }
    this.revision = Math.max(newest, target);
    // Saving costs a full write of the graph: after a rebuild or a batch of changes, not per paper.
    if (this.file && (this.changesSinceSave >= 1000 || !existsSync(this.file))) this.save();
  }

  /** Writes the graph and what it holds (model, revision, size) beside the database, atomically. */
  save(): void {
    if (!this.file) return;
    this.index.save(`${this.file}.tmp`);
    renameSync(`${this.file}.tmp`, this.file);
    const meta: IndexMeta = { modelId: this.model.id, dimensions: this.model.dimensions, revision: this.revision, size: this.index.size(), sha256: fileDigest(this.file) };
    writeFileSync(`${this.file}.json.tmp`, JSON.stringify(meta));
    renameSync(`${this.file}.json.tmp`, `${this.file}.json`);
    this.changesSinceSave = 0;
  }

  async search(query: Float32Array, k: number): Promise<VectorMatch[]> {
    if (this.index.size() === 0 || k <= 0) return [];
    // usearch reads the whole backing buffer: pass a copy, never a view into a larger array.
    const matches = this.index.search(query.slice(), Math.min(k, this.index.size()), 0);
    return Array.from(matches.keys, (key, i) => ({ key: Number(key), similarity: 1 - matches.distances[i]! }));
  }
}

interface IndexMeta {
  modelId: string;
  dimensions: number;
  revision: number;
  size: number;
  sha256: string;
}

function fileDigest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
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

const open = new WeakMap<object, Promise<VectorIndex>>();
let saidNoPgvector = false;

/** pgvector on PostgreSQL where it can be used; otherwise usearch (in memory there, saved beside a SQLite file). */
async function openIndex(db: Db, model: EmbeddingModelRow): Promise<VectorIndex> {
  if (dialectOf(db).vectorIndexInDatabase) {
    const pgvector = await PgvectorIndex.open(db, model);
    if (pgvector) return pgvector;
    if (!saidNoPgvector) {
      // Said once per process, so an operator knows why the first search is slower.
      saidNoPgvector = true;
      process.emitWarning('pgvector is not installed: semantic search builds an in-process usearch index from paper_embeddings (see README, PostgreSQL)', { code: 'DAILYPAPERS_VECTOR_INDEX' });
    }
  }
  return (await UsearchIndex.open(db, model, indexFile(db))).index;
}

/**
 * The index of the active model for this database handle, synced with the stored vectors; null
 * when no model is active. Opening it the first time loads or rebuilds it; afterwards a search
 * pays one indexed one-row read to learn whether anything changed.
 */
export async function activeVectorIndex(db: Db): Promise<VectorIndex | null> {
  const model = await activeEmbeddingModel(db);
  if (!model) return null;
  let pending = open.get(db.kysely);
  let index = pending ? await pending : null;
  if (!index || index.model.id !== model.id) {
    pending = openIndex(db, model);
    open.set(db.kysely, pending);
    pending.catch(() => open.delete(db.kysely));
    index = await pending;
  }
  await index.sync(db, model.revision);
  return index;
}
