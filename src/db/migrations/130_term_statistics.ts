import type { Migration } from './index.js';

/**
 * How many papers use each word (stemmed as the corpus-learned embedder stems), counted over an
 * even sample of the corpus: "similar papers" picks a paper's most distinctive words with it. The
 * sample's size is kept beside the counts (settings, `term_statistics_papers`).
 */
const statements = [
  `CREATE TABLE term_statistics (
    term TEXT PRIMARY KEY,
    documents INTEGER NOT NULL
  )`,
];

export const termStatistics: Migration = {
  version: 130,
  name: 'term_statistics',
  sql: { sqlite: statements, postgres: statements },
};
