import type { Migration } from './index.js';

/**
 * Embedding models and one vector per paper. A model's data is what is needed to embed the same
 * way after a restart (the corpus-learned model's vocabulary, idf and projection); `revision` is
 * bumped by every write of vectors, so a search process notices new vectors with a one-row read.
 * A vector row has an integer key (the ANN index's label) and the paper's modified_at it was
 * computed from, so an edited paper is found stale; deleting a paper deletes its vector. The vector
 * is little-endian float32 bytes on SQLite and REAL[] on PostgreSQL.
 */
const tables = (key: string, bytes: string, vector: string): string[] => [
  `CREATE TABLE embedding_models (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('lsa', 'transformers')),
    dimensions INTEGER NOT NULL,
    fitted_papers INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  )`,
  // Apart from the model row, so bumping its revision or reading it never touches tens of megabytes.
  `CREATE TABLE embedding_model_data (
    model_id TEXT PRIMARY KEY REFERENCES embedding_models(id) ON DELETE CASCADE,
    data ${bytes} NOT NULL
  )`,
  `CREATE TABLE paper_embeddings (
    key ${key},
    paper_id TEXT NOT NULL UNIQUE REFERENCES papers(id) ON DELETE CASCADE,
    model_id TEXT NOT NULL REFERENCES embedding_models(id) ON DELETE CASCADE,
    vector ${vector} NOT NULL,
    paper_modified_at TEXT NOT NULL,
    revision INTEGER NOT NULL
  )`,
  `CREATE INDEX paper_embeddings_revision ON paper_embeddings (revision)`,
];

export const embeddings: Migration = {
  version: 30,
  name: 'embeddings',
  sql: {
    sqlite: tables('INTEGER PRIMARY KEY', 'BLOB', 'BLOB'),
    // REAL[] rather than bytes: pgvector, where installed, indexes it through its real[] → vector cast.
    postgres: tables('BIGSERIAL PRIMARY KEY', 'BYTEA', 'REAL[]'),
  },
};
