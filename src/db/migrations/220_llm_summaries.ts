import type { Migration } from './index.js';

/**
 * Abstractive summaries from an OpenAI-compatible chat endpoint (issue 14): each paper's summary from
 * the model, kept beside the extractive one (which stays when the model fails, is over budget or is
 * not set up), and the requests made to it per UTC day, counted here so the daily budget holds across
 * processes and restarts.
 */
const statements = [
  'ALTER TABLE papers ADD COLUMN llm_summary TEXT',
  // The modified_at of the content the model was asked about: its summary, or none when its answer was unusable.
  'ALTER TABLE papers ADD COLUMN llm_summary_from TEXT',
  'CREATE TABLE llm_requests (day TEXT PRIMARY KEY, requests INTEGER NOT NULL)',
];

export const llmSummaries: Migration = {
  version: 220,
  name: 'llm_summaries',
  sql: { sqlite: statements, postgres: statements },
};
