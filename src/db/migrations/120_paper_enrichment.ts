import type { Migration } from './index.js';

/**
 * A paper at a glance (issue 14): a one-sentence summary and keyphrases computed from its abstract,
 * and the modification time of the content they were computed from, so an edited paper is computed again.
 */
const statements = [
  'ALTER TABLE papers ADD COLUMN ai_summary TEXT',
  // JSON array of strings, best first.
  'ALTER TABLE papers ADD COLUMN ai_keywords TEXT',
  'ALTER TABLE papers ADD COLUMN enriched_from TEXT',
];

export const paperEnrichment: Migration = {
  version: 120,
  name: 'paper_enrichment',
  sql: { sqlite: statements, postgres: statements },
};
