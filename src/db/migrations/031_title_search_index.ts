import type { Migration } from './index.js';

/**
 * PostgreSQL: a full-text index of the title alone, so that search can rank the papers with the
 * words in their title first without reading every paper that has them anywhere (the weighted
 * search_vector's index does not know which field a word came from). SQLite's FTS5 index filters
 * by column itself.
 */
export const titleSearchIndex: Migration = {
  version: 31,
  name: 'title_search_index',
  sql: {
    sqlite: [],
    postgres: [`CREATE INDEX papers_title_search ON papers USING GIN (to_tsvector('english', title))`],
  },
};
