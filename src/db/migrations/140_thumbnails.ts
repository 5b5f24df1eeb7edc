import type { Migration } from './index.js';

/**
 * One row per paper whose first page the thumbnail job has tried: the WebP image once rendered,
 * or the reason it failed (no PDF, too large, broken, encrypted), so a failed paper keeps its
 * title-card stand-in and is not fetched again on every run. Kept in the database, beside the
 * paper, so every process sharing it serves the same images and a backup holds them.
 */
const statements = (bytes: string): string[] => [
  `CREATE TABLE paper_thumbnails (
    paper_id TEXT PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('ready', 'failed')),
    image ${bytes},
    error TEXT,
    rendered_at TEXT NOT NULL
  )`,
];

export const thumbnails: Migration = {
  version: 140,
  name: 'thumbnails',
  sql: { sqlite: statements('BLOB'), postgres: statements('BYTEA') },
};
