import type { Migration } from './index.js';

/**
 * A member's own papers (issue 13): the library (every saved paper once, with a note and a read
 * state), named collections holding saved papers, follows (an author, a category or a saved search)
 * and "not interested" marks, the negative signal of "For you". Collection ids are random and
 * unguessable; a private collection answers only its owner whatever its id.
 */
const statements = [
  `CREATE TABLE library_items (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    note TEXT NOT NULL DEFAULT '',
    read_at TEXT,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (user_id, paper_id)
  )`,
  `CREATE INDEX library_items_saved ON library_items (user_id, saved_at)`,
  `CREATE TABLE collections (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    public INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE UNIQUE INDEX collections_user_name ON collections (user_id, lower(name))`,
  `CREATE TABLE collection_papers (
    collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    PRIMARY KEY (collection_id, paper_id)
  )`,
  `CREATE TABLE follows (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('author', 'category', 'search')),
    target TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, target)
  )`,
  `CREATE TABLE paper_dismissals (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, paper_id)
  )`,
  `CREATE INDEX votes_user ON votes (user_id, created_at)`,
];

export const yourPapers: Migration = {
  version: 100,
  name: 'your_papers',
  sql: { sqlite: statements, postgres: statements },
};
