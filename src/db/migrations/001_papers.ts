import type { Migration } from './index.js';

/** Papers with their authors and categories, lexical search indexes, and the jobs queue. */
export const papers: Migration = {
  version: 1,
  name: 'papers',
  sql: {
    sqlite: [
      `CREATE TABLE papers (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        abstract TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        author_names TEXT NOT NULL DEFAULT '',
        categories TEXT NOT NULL DEFAULT '[]',
        primary_category TEXT,
        published_on TEXT,
        revised_on TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        versions TEXT NOT NULL DEFAULT '[]',
        doi TEXT, journal_ref TEXT, comments TEXT, license TEXT,
        github_url TEXT, project_url TEXT,
        featured_on TEXT,
        submitted_by TEXT,
        submitted_at TEXT,
        upvotes INTEGER NOT NULL DEFAULT 0,
        num_comments INTEGER NOT NULL DEFAULT 0,
        trending_score REAL NOT NULL DEFAULT 0,
        hidden INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL
      )`,
      `CREATE INDEX papers_featured ON papers (featured_on, upvotes DESC, submitted_at)`,
      `CREATE INDEX papers_published ON papers (published_on)`,
      `CREATE INDEX papers_trending ON papers (trending_score DESC)`,
      `CREATE TABLE paper_authors (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        PRIMARY KEY (paper_id, position)
      )`,
      `CREATE INDEX paper_authors_name ON paper_authors (name_key)`,
      `CREATE TABLE paper_categories (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        category TEXT NOT NULL,
        PRIMARY KEY (paper_id, position)
      )`,
      `CREATE INDEX paper_categories_category ON paper_categories (category)`,
      // External-content FTS5 index over the papers table, kept in step by triggers.
      `CREATE VIRTUAL TABLE papers_fts USING fts5(
        title, abstract, author_names,
        content='papers', content_rowid='rowid',
        tokenize='porter unicode61 remove_diacritics 2'
      )`,
      `CREATE TRIGGER papers_fts_insert AFTER INSERT ON papers BEGIN
        INSERT INTO papers_fts(rowid, title, abstract, author_names) VALUES (new.rowid, new.title, new.abstract, new.author_names);
      END`,
      `CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
        INSERT INTO papers_fts(papers_fts, rowid, title, abstract, author_names) VALUES ('delete', old.rowid, old.title, old.abstract, old.author_names);
      END`,
      `CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, author_names ON papers BEGIN
        INSERT INTO papers_fts(papers_fts, rowid, title, abstract, author_names) VALUES ('delete', old.rowid, old.title, old.abstract, old.author_names);
        INSERT INTO papers_fts(rowid, title, abstract, author_names) VALUES (new.rowid, new.title, new.abstract, new.author_names);
      END`,
      `CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',
        unique_key TEXT UNIQUE,
        run_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL DEFAULT 5,
        locked_by TEXT,
        locked_until TEXT,
        last_error TEXT,
        done_at TEXT,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL`,
    ],
    postgres: [
      `CREATE TABLE papers (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        abstract TEXT NOT NULL DEFAULT '',
        authors TEXT NOT NULL DEFAULT '[]',
        author_names TEXT NOT NULL DEFAULT '',
        categories TEXT NOT NULL DEFAULT '[]',
        primary_category TEXT,
        published_on TEXT,
        revised_on TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        versions TEXT NOT NULL DEFAULT '[]',
        doi TEXT, journal_ref TEXT, comments TEXT, license TEXT,
        github_url TEXT, project_url TEXT,
        featured_on TEXT,
        submitted_by TEXT,
        submitted_at TEXT,
        upvotes INTEGER NOT NULL DEFAULT 0,
        num_comments INTEGER NOT NULL DEFAULT 0,
        trending_score DOUBLE PRECISION NOT NULL DEFAULT 0,
        hidden INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        search_vector tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', abstract), 'B') ||
          setweight(to_tsvector('simple', author_names), 'C')
        ) STORED
      )`,
      `CREATE INDEX papers_featured ON papers (featured_on, upvotes DESC, submitted_at)`,
      `CREATE INDEX papers_published ON papers (published_on)`,
      `CREATE INDEX papers_trending ON papers (trending_score DESC)`,
      `CREATE INDEX papers_search ON papers USING GIN (search_vector)`,
      `CREATE TABLE paper_authors (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        PRIMARY KEY (paper_id, position)
      )`,
      `CREATE INDEX paper_authors_name ON paper_authors (name_key)`,
      `CREATE TABLE paper_categories (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        category TEXT NOT NULL,
        PRIMARY KEY (paper_id, position)
      )`,
      `CREATE INDEX paper_categories_category ON paper_categories (category)`,
      `CREATE TABLE jobs (
        id BIGSERIAL PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',
        unique_key TEXT UNIQUE,
        run_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL DEFAULT 5,
        locked_by TEXT,
        locked_until TEXT,
        last_error TEXT,
        done_at TEXT,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL`,
    ],
  },
};
