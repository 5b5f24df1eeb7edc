import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Schema } from '../db/schema.js';
import { nameKey } from '../store/paper-text.js';
import { vectorFromStored } from '../store/embeddings.js';
import { dot } from './linalg.js';
import type { SearchFilters } from './types.js';
import { dialectOf, type Dialect } from '../db/dialect.js';
import { withoutWords } from './lexical.js';

type PapersScope = ExpressionBuilder<Schema & { p: Schema['papers'] }, 'p'>;

/** The filters as one condition on a paper row aliased `p`, visible papers only; `fullText` finds excluded words. */
export function filterCondition(
  eb: PapersScope,
  filters: SearchFilters = {},
  fullText: Dialect['fullText'],
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [eb('p.hidden', '=', 0)];
  if (filters.from) conditions.push(eb('p.published_on', '>=', filters.from));
  if (filters.to) conditions.push(eb('p.published_on', '<=', filters.to));
  if (filters.categories && filters.categories.length > 0) {
    const categories = filters.categories;
    conditions.push(
      eb.exists(
        eb
          .selectFrom('paper_categories')
          .select('paper_id')
          .whereRef('paper_categories.paper_id', '=', 'p.id')
          .where('category', 'in', categories),
      ),
    );
  }
  if (filters.excludedCategories && filters.excludedCategories.length > 0) {
    const excluded = filters.excludedCategories;
    conditions.push(
      eb.not(
        eb.exists(
          eb
            .selectFrom('paper_categories')
            .select('paper_id')
            .whereRef('paper_categories.paper_id', '=', 'p.id')
            .where('category', 'in', excluded),
        ),
      ),
    );
  }
  if (filters.excludedWords?.length)
    conditions.push(withoutWords(fullText, filters.excludedWords, 'p') as Expression<SqlBool>);
  const author = filters.author ? nameKey(filters.author) : '';
  if (author) {
    // A substring of the normalised name; LIKE's wildcards in the input are literal.
    const pattern = `%${author.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      eb.exists(
        eb
          .selectFrom('paper_authors')
          .select('paper_id')
          .whereRef('paper_authors.paper_id', '=', 'p.id')
          .where(sql<SqlBool>`name_key LIKE ${pattern} ESCAPE '\\'`),
      ),
    );
  }
  return eb.and(conditions);
}

export function hasFilters(filters: SearchFilters = {}): boolean {
  return Boolean(
    filters.from ||
      filters.to ||
      filters.categories?.length ||
      filters.excludedCategories?.length ||
      filters.excludedWords?.length ||
      (filters.author && nameKey(filters.author)),
  );
}

/** Which of these papers are visible and pass the filters. */
export async function papersPassing(db: Db, ids: string[], filters: SearchFilters = {}): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const passing = new Set<string>();
  for (let start = 0; start < ids.length; start += 500) {
    const rows = await db.kysely
      .selectFrom('papers as p')
      .select('p.id')
      .where('p.id', 'in', ids.slice(start, start + 500))
      .where((eb) => filterCondition(eb, filters, dialectOf(db).fullText))
      .execute();
    for (const row of rows) passing.add(row.id);
  }
  return passing;
}

/** Paper ids of these vector keys (of this model) whose papers are visible and pass the filters. */
export async function papersOfKeys(
  db: Db,
  modelId: string,
  keys: number[],
  filters: SearchFilters = {},
): Promise<Map<number, string>> {
  if (keys.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('paper_embeddings as e')
    .innerJoin('papers as p', 'p.id', 'e.paper_id')
    .select(['e.key', 'p.id'])
    .where('e.model_id', '=', modelId)
    .where('e.key', 'in', keys)
    .where((eb) => filterCondition(eb, filters, dialectOf(db).fullText))
    .execute();
  return new Map(rows.map((r) => [Number(r.key), r.id]));
}

/** How many visible papers pass the filters and have a vector of this model (at most `cap`, to keep it cheap). */
export async function countFilteredVectors(
  db: Db,
  modelId: string,
  filters: SearchFilters,
  cap: number,
): Promise<number> {
  const row = await db.kysely
    .selectFrom((eb) =>
      eb
        .selectFrom('paper_embeddings as e')
        .innerJoin('papers as p', 'p.id', 'e.paper_id')
        .select('e.key')
        .where('e.model_id', '=', modelId)
        .where((w) => filterCondition(w, filters, dialectOf(db).fullText))
        .limit(cap + 1)
        .as('f'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Exact nearest neighbours among the papers passing the filters: for filters too narrow for the ANN graph. */
export async function exactNearest(
  db: Db,
  modelId: string,
  query: Float32Array,
  filters: SearchFilters,
  k: number,
): Promise<{ id: string; similarity: number }[]> {
  const rows = await db.kysely
    .selectFrom('paper_embeddings as e')
    .innerJoin('papers as p', 'p.id', 'e.paper_id')
    .select(['p.id', 'e.vector'])
    .where('e.model_id', '=', modelId)
    .where((eb) => filterCondition(eb, filters, dialectOf(db).fullText))
    .execute();
  const scored = rows.map((r) => ({ id: r.id, similarity: dot(vectorFromStored(r.vector), query) }));
  return scored.sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : 1)).slice(0, k);
}
