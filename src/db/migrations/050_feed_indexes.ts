import type { Migration } from './index.js';

/**
 * Indexes in the feeds' own order, so a feed's first page (read on every feed request as its
 * fingerprint) walks the index and stops after `limit` rows instead of sorting every featured paper.
 * Partial: papers never featured (most of a bulk import) are not on these lists.
 */
const statements = [
  `CREATE INDEX papers_feed_daily ON papers (hidden, featured_on DESC, upvotes DESC, submitted_at, id) WHERE featured_on IS NOT NULL`,
  `CREATE INDEX papers_feed_trending ON papers (hidden, trending_score DESC, upvotes DESC, featured_on DESC, id) WHERE featured_on IS NOT NULL`,
];

export const feedIndexes: Migration = {
  version: 50,
  name: 'feed_indexes',
  sql: { sqlite: statements, postgres: statements },
};
