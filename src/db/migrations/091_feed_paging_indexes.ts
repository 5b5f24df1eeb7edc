import type { Migration } from './index.js';

/**
 * The featured lists' remaining orders as indexes, so any page of them is picked from an index
 * (store/papers.ts listFeatured) instead of by sorting every featured paper: newest publication
 * first, and one member's submissions (which span the whole feed).
 */
const statements = [
  `CREATE INDEX papers_feed_published ON papers (hidden, published_on DESC, upvotes DESC, submitted_at, id, featured_on)
    WHERE featured_on IS NOT NULL`,
  `CREATE INDEX papers_feed_submitter ON papers (submitted_by, hidden, featured_on DESC, upvotes DESC, submitted_at, id)
    WHERE submitted_by IS NOT NULL`,
];

export const feedPagingIndexes: Migration = {
  version: 91,
  name: 'feed_paging_indexes',
  sql: { sqlite: statements, postgres: statements },
};
