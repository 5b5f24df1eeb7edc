import type { Migration } from './index.js';

/**
 * Code and stars (issue 14): the GitHub repositories papers link to, each checked on a schedule with
 * a conditional request (its ETag), and each paper's copy of its repository's star count, so lists
 * sort by stars from an index. A NULL count is unknown (no repository, or not checked yet), listed last.
 */
const shared = [
  'ALTER TABLE papers ADD COLUMN github_stars INTEGER',
  `CREATE TABLE github_repos (
    url TEXT PRIMARY KEY,
    stars INTEGER,
    etag TEXT,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'ok', 'missing', 'error')),
    next_check_at TEXT NOT NULL DEFAULT '',
    checked_at TEXT
  )`,
  'CREATE INDEX github_repos_due ON github_repos (next_check_at)',
  'CREATE INDEX papers_github_url ON papers (github_url) WHERE github_url IS NOT NULL',
];

export const githubStars: Migration = {
  version: 121,
  name: 'github_stars',
  sql: {
    // SQLite sorts NULLs last in a descending order by itself; PostgreSQL must be told, in the index too.
    sqlite: [
      ...shared,
      `CREATE INDEX papers_feed_stars ON papers (hidden, github_stars DESC, upvotes DESC, id, featured_on)
        WHERE featured_on IS NOT NULL`,
    ],
    postgres: [
      ...shared,
      `CREATE INDEX papers_feed_stars ON papers (hidden, github_stars DESC NULLS LAST, upvotes DESC, id, featured_on)
        WHERE featured_on IS NOT NULL`,
    ],
  },
};
