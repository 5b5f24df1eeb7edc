import type { Migration } from './index.js';

/**
 * Votes are written in batches per paper by the application (src/store/votes.ts applyVoteChanges),
 * which locks the paper row first and counts after it, so PostgreSQL's one-vote functions cast_vote()
 * (migrations 070, 084) and counted_votes() have no caller left.
 */
export const voteBatches: Migration = {
  version: 190,
  name: 'vote_batches',
  sql: {
    sqlite: [],
    postgres: [
      'DROP FUNCTION cast_vote(TEXT, TEXT, BOOLEAN, TEXT, DOUBLE PRECISION, DOUBLE PRECISION, DOUBLE PRECISION)',
      'DROP FUNCTION counted_votes(TEXT)',
    ],
  },
};
