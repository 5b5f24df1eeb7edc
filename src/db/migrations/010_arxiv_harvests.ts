import type { Migration } from './index.js';

const table = `CREATE TABLE arxiv_harvests (
  set_spec TEXT NOT NULL,
  from_day TEXT NOT NULL,
  until_day TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'failed', 'done')),
  resumption_token TEXT,
  pages INTEGER NOT NULL DEFAULT 0,
  records INTEGER NOT NULL DEFAULT 0,
  complete_list_size INTEGER,
  last_error TEXT,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  completed_at TEXT,
  PRIMARY KEY (set_spec, from_day, until_day)
)`;

/**
 * Checkpoints of OAI-PMH harvest windows (one row per set and day range): the resumption token
 * after the last stored page, so an interrupted harvest resumes there, and when it completed.
 */
export const arxivHarvests: Migration = {
  version: 10,
  name: 'arxiv_harvests',
  sql: { sqlite: [table], postgres: [table] },
};
