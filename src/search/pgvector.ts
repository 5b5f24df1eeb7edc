import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { countVectors, type EmbeddingModelRow } from '../store/embeddings.js';
import type { VectorIndex, VectorMatch } from './vector-index.js';

/**
 * Nearest neighbours inside PostgreSQL with pgvector: an HNSW index on the stored REAL[] vectors
 * cast to vector(d), so every web process shares one index that the database keeps current. Used
 * when the extension is installed (.ci/pgvector.sh builds it from Debian's source package).
 */
export class PgvectorIndex implements VectorIndex {
  private count = 0;
  private revision = -1;

  private constructor(
    readonly model: EmbeddingModelRow,
    private readonly db: Db,
  ) {}

  /** The index for this model, creating the extension and the HNSW index if needed; null when pgvector is not installed. */
  static async open(db: Db, model: EmbeddingModelRow): Promise<PgvectorIndex | null> {
    const { rows } = await sql<{
      installed: string | null;
    }>`SELECT installed_version AS installed FROM pg_available_extensions WHERE name = 'vector'`.execute(db.kysely);
    if (rows.length === 0) return null;
    if (!rows[0]!.installed) {
      try {
        await sql`CREATE EXTENSION IF NOT EXISTS vector`.execute(db.kysely);
      } catch {
        return null; // Installed on the server but this role may not create it: the in-process index serves.
      }
    }
    const d = Number(model.dimensions);
    // Partial on the length: building an index also reads deleted rows that an open snapshot may
    // still see (the previous model's vectors, of another length), whose cast would fail.
    await sql
      .raw(
        `CREATE INDEX IF NOT EXISTS paper_embeddings_hnsw ON paper_embeddings USING hnsw ((vector::vector(${d})) vector_cosine_ops) WHERE array_length(vector, 1) = ${d}`,
      )
      .execute(db.kysely);
    return new PgvectorIndex(model, db);
  }

  size(): number {
    return this.count;
  }

  async sync(db: Db, revision: number): Promise<void> {
    if (revision === this.revision) return;
    this.count = await countVectors(db, this.model.id);
    this.revision = revision;
  }

  async search(query: Float32Array, k: number): Promise<VectorMatch[]> {
    if (k <= 0) return [];
    const d = Number(this.model.dimensions);
    const literal = `[${Array.from(query).join(',')}]`;
    const distance = sql.raw(`vector::vector(${d}) <=> `);
    // The HNSW search returns at most ef_search rows: at least k (pgvector caps it at 1000).
    const ef = Math.min(1000, Math.max(100, k));
    const rows = await this.db.kysely.transaction().execute(async (trx) => {
      await sql.raw(`SET LOCAL hnsw.ef_search = ${ef}`).execute(trx);
      const result = await sql<{ key: number; distance: number }>`
        SELECT key, ${distance}${literal}::vector AS distance FROM paper_embeddings
        WHERE model_id = ${this.model.id} AND ${sql.raw(`array_length(vector, 1) = ${d}`)}
        ORDER BY ${distance}${literal}::vector LIMIT ${k}`.execute(trx);
      return result.rows;
    });
    // A zero vector has no direction: its distance is NaN, and it is near nothing.
    return rows
      .filter((r) => !Number.isNaN(Number(r.distance)))
      .map((r) => ({ key: Number(r.key), similarity: 1 - Number(r.distance) }));
  }
}
