import type { Migration } from './index.js';

/**
 * Code links proposed by members (issue 14): a GitHub or GitLab repository or a Hugging Face model,
 * dataset or space for a paper, shown once a moderator approves it (each decision is in the log).
 */
const table = (serial: string) => [
  `CREATE TABLE code_link_proposals (
    id ${serial},
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    proposed_by TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    UNIQUE (paper_id, url)
  )`,
  'CREATE INDEX code_link_proposals_status ON code_link_proposals (status, paper_id)',
];

export const codeLinkProposals: Migration = {
  version: 221,
  name: 'code_link_proposals',
  sql: { sqlite: table('INTEGER PRIMARY KEY AUTOINCREMENT'), postgres: table('BIGSERIAL PRIMARY KEY') },
};
