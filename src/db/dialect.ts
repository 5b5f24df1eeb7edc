import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db, DialectName } from './connection.js';

/**
 * What SQLite and PostgreSQL do differently, as capabilities that store and search code calls
 * instead of branching on the dialect's name: locking, upserts, vectors, full text. (Migrations,
 * written once per dialect, are the other place the two differ.)
 */
export interface Dialect {
  /**
   * Whether transactions write concurrently (PostgreSQL): then rows must be locked, and a lock held
   * across round trips to the application makes every other writer of that row wait. SQLite lets
   * one writer in at a time.
   */
  concurrentWriters: boolean;
  /** Ends the SELECT that picks queue rows to claim, so concurrent claimers skip each other's rows. */
  skipLockedRows: RawBuilder<unknown>;
  /** Locks the selected rows until the transaction ends, leaving others free to insert rows that reference them. */
  lockForNoKeyUpdate<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /**
   * Whether a statement takes an array as one parameter (PostgreSQL): many rows are then written as one array
   * per column (unnested-rows.ts), not as a VALUES list of a parameter per value, which SQLite needs.
   */
  arrayParameters: boolean;
  /**
   * Whether a join's rows are sorted by gathering them all first (SQLite): the newest papers of a large
   * category are then found faster by walking papers newest first (store/authors.ts).
   */
  sortsJoinsWhole: boolean;
  /** The comparison that treats NULL as a value, for "did an upsert change this column". */
  isDistinctFrom: string;
  /** A vector as paper_embeddings stores it: float32 bytes (SQLite), an array of reals (PostgreSQL). */
  storedVector(vector: Float32Array): Uint8Array | number[];
  /** Whether the database may hold a vector index itself (pgvector); otherwise search keeps one in the process. */
  vectorIndexInDatabase: boolean;
  /** The full-text index: FTS5, which ranks from the index, or a weighted tsvector column, read per matching row. */
  fullText: 'fts5' | 'tsvector';
  /**
   * How many searches, API and feed requests run at once unless READ_CONCURRENCY says (web/read-gate.ts): on
   * PostgreSQL four, leaving most of the web pool to pages; on SQLite no limit, as its reads queue at its
   * reader threads (sqlite-readers.ts), off the event loop.
   */
  defaultReadConcurrency: number | null;
  /** The file a database at this location lives in, beside which it may keep files of its own; null for none. */
  file(location: string): string | null;
}

const sqlite: Dialect = {
  concurrentWriters: false,
  skipLockedRows: sql``,
  lockForNoKeyUpdate: (query) => query,
  arrayParameters: false,
  sortsJoinsWhole: true,
  isDistinctFrom: 'IS NOT',
  storedVector: (vector) => Buffer.from(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength)),
  vectorIndexInDatabase: false,
  fullText: 'fts5',
  defaultReadConcurrency: null,
  file: (location) => (location === ':memory:' ? null : location),
};

const postgres: Dialect = {
  concurrentWriters: true,
  skipLockedRows: sql`FOR UPDATE SKIP LOCKED`,
  lockForNoKeyUpdate: (query) => query.forNoKeyUpdate(),
  arrayParameters: true,
  sortsJoinsWhole: false,
  isDistinctFrom: 'IS DISTINCT FROM',
  storedVector: (vector) => Array.from(vector),
  vectorIndexInDatabase: true,
  fullText: 'tsvector',
  defaultReadConcurrency: 4,
  file: () => null,
};

const dialects: Record<DialectName, Dialect> = { sqlite, postgres };

/** The capabilities of the database behind a handle. */
export function dialectOf(db: Pick<Db, 'dialect'>): Dialect {
  return dialects[db.dialect];
}
