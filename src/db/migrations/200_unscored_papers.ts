import type { Migration } from './index.js';

/**
 * The featured papers still without a trending score (0: imported or ingested, or a vote that could
 * not update the score exactly): all the periodic sweep reads, so it costs what arrived since it last
 * ran, not the whole feed. Papers leave the index as they are scored.
 */
const statements = [
  `CREATE INDEX papers_unscored ON papers (id) WHERE featured_on IS NOT NULL AND trending_score <= 0`,
];

export const unscoredPapers: Migration = {
  version: 200,
  name: 'unscored_papers',
  sql: { sqlite: statements, postgres: statements },
};
