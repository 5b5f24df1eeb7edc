import type { Migration } from './index.js';

/**
 * Comments keep their rendered, sanitised HTML beside the Markdown source: rendered once when
 * written, so pages and the API only read it and no comment can make them fail. Rows from before
 * this migration start as NULL; `renderMissingCommentHtml` (run by `migrate` and at `serve` start)
 * fills them in.
 */
const statements = [`ALTER TABLE comments ADD COLUMN body_html TEXT`];

export const commentHtml: Migration = {
  version: 82,
  name: 'comment_html',
  sql: { sqlite: statements, postgres: statements },
};
