import { sql } from 'kysely';
import type { Db } from '../db/connection.js';

import type { SearchHit } from './types.js';

export type { SearchHit } from './types.js';

export interface LexicalQuery {
  text: string;
  limit?: number;
}

const MAX_TERMS = 64;

/** Splits free text into search terms, dropping every character that could act as query syntax. */
export function queryTerms(text: string): string[] {
  const terms = text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0 && t.length <= 64);
  return [...new Set(terms)].slice(0, MAX_TERMS);
}

/**
 * Ranks papers by BM25 with the title weighted above the abstract above the authors.
 * Terms are OR-ed so long natural-language queries still match; BM25 rewards documents that match more of them.
 */
export async function searchLexical(db: Db, query: LexicalQuery): Promise<SearchHit[]> {
  const terms = queryTerms(query.text);
  const limit = query.limit ?? 20;
  if (terms.length === 0) return [];
  if (db.dialect === 'sqlite') {
    const match = terms.map((t) => `"${t}"`).join(' OR ');
    const { rows } = await sql<{ id: string; score: number }>`
      SELECT papers.id AS id, -bm25(papers_fts, 10.0, 3.0, 1.0) AS score
      FROM papers_fts JOIN papers ON papers.rowid = papers_fts.rowid
      WHERE papers_fts MATCH ${match} AND papers.hidden = 0
      ORDER BY bm25(papers_fts, 10.0, 3.0, 1.0)
      LIMIT ${limit}`.execute(db.kysely);
    return rows;
  }
  const tsquery = terms.map((t) => `'${t.replace(/'/g, "''")}'`).join(' | ');
  const { rows } = await sql<{ id: string; score: number }>`
    WITH q AS (SELECT to_tsquery('english', ${tsquery}) || to_tsquery('simple', ${tsquery}) AS query)
    SELECT papers.id AS id, ts_rank_cd(papers.search_vector, q.query, 1) AS score
    FROM papers, q
    WHERE papers.search_vector @@ q.query AND papers.hidden = 0
    ORDER BY score DESC, papers.id
    LIMIT ${limit}`.execute(db.kysely);
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
}
