import type { Migration } from './index.js';

/**
 * PostgreSQL compresses a paper row's long values (abstract, authors, the search vector) when
 * the row is stored; lz4 does it several times faster than the default pglz, which showed in
 * bulk imports. Servers built without lz4 keep pglz. SQLite stores values uncompressed.
 */
const lz4ForPapers = `DO $$
DECLARE
  col record;
BEGIN
  FOR col IN SELECT attname FROM pg_attribute WHERE attrelid = 'papers'::regclass AND attnum > 0 AND NOT attisdropped AND attstorage IN ('x', 'm') LOOP
    EXECUTE format('ALTER TABLE papers ALTER COLUMN %I SET COMPRESSION lz4', col.attname);
  END LOOP;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END $$`;

export const paperCompression: Migration = {
  version: 60,
  name: 'paper_compression',
  sql: { sqlite: [], postgres: [lz4ForPapers] },
};
