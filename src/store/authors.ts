import { dialectOf } from '../db/dialect.js';
import { type Expression, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/connection.js';
import type { Schema } from '../db/schema.js';

/**
 * Authors as the store knows them: names on papers, grouped by their normalised key
 * (paper-text.ts's nameKey: lower case, accents and repeated spaces gone). Two people with the same
 * written name are one author here, and one person written two ways ("J. Smith", "John Smith") is two.
 */

export interface DayRange {
  /** Published on or after (YYYY-MM-DD). */
  from?: string;
  /** Published on or before (YYYY-MM-DD). */
  to?: string;
}

/** The newest visible papers meeting `condition` (on papers `p`), at most `limit`. */
function newestVisible(db: Db, condition: Expression<SqlBool>, range: DayRange, limit: number) {
  let q = db.kysely.selectFrom('papers as p').select('p.id').where(condition).where('p.hidden', '=', 0);
  if (range.from) q = q.where('p.published_on', '>=', range.from);
  if (range.to) q = q.where('p.published_on', '<=', range.to);
  return q
    .orderBy('p.published_on', (o) => o.desc().nullsLast())
    .orderBy('p.id')
    .limit(limit)
    .execute();
}

/** Papers whose id is among a query's paper ids. */
function among<T extends keyof Schema>(paperIds: SelectQueryBuilder<Schema, T, { paper_id: string }>) {
  return sql<SqlBool>`p.id in (${paperIds})`;
}

/**
 * From this many papers in a category, SQLite finds its newest by walking papers newest first and
 * checking each one's own categories (about corpus/size probes a hit) instead of sorting them all: at
 * 97k, cs.AI's 30 newest in 18 ms against 570 ms. Below it, sorting the few is the cheaper way.
 */
const WALK_CATEGORY_FROM = 2000;

async function newestInCategory(db: Db, category: string, range: DayRange, limit: number) {
  const members = db.kysely.selectFrom('paper_categories').select('paper_id').where('category', '=', category);
  if (!dialectOf(db).sortsJoinsWhole) return newestVisible(db, among(members), range, limit);
  const { size } = await db.kysely
    .selectFrom('paper_categories')
    .select((eb) => eb.fn.countAll<number>().as('size'))
    .where('category', '=', category)
    .executeTakeFirstOrThrow();
  if (Number(size) < WALK_CATEGORY_FROM) return newestVisible(db, among(members), range, limit);
  // `+` keeps SQLite off the category index inside the walk: each paper's rows are found by its own key.
  return newestVisible(
    db,
    sql<SqlBool>`exists (select 1 from paper_categories c where c.paper_id = p.id and +c.category = ${category})`,
    range,
    limit,
  );
}

/** The newest visible papers with an author of one of these keys, or in one of these categories, at most `limit` of each. */
export async function newestPapersOf(
  db: Db,
  of: { authorKeys: string[]; categories: string[] },
  range: DayRange,
  limit: number,
): Promise<{ id: string }[]> {
  const byAuthor = (key: string) =>
    db.kysely.selectFrom('paper_authors').select('paper_id').where('name_key', '=', key);
  const lists = await Promise.all([
    ...of.authorKeys.map((key) => newestVisible(db, among(byAuthor(key)), range, limit)),
    ...of.categories.map((category) => newestInCategory(db, category, range, limit)),
  ]);
  return lists.flat();
}

/** How many of an author's papers their page reads at most: co-authors and categories are counted over these. */
export const AUTHOR_PAPERS_READ = 500;

export interface AuthorProfile {
  /** The name as most of their papers write it. */
  name: string;
  /** Their visible papers, newest first (at most AUTHOR_PAPERS_READ). */
  paperIds: string[];
  /** Names they share the most papers with, and how many. */
  coauthors: { name: string; papers: number }[];
  /** Their categories by how many of their papers have them. */
  categories: { category: string; papers: number }[];
}

/** An author's page, by normalised name; null when no visible paper has that author. */
export async function authorProfile(db: Db, key: string, top = 10): Promise<AuthorProfile | null> {
  const papers = await db.kysely
    .selectFrom('paper_authors as a')
    .innerJoin('papers as p', 'p.id', 'a.paper_id')
    .select(['p.id', 'a.name'])
    .where('a.name_key', '=', key)
    .where('p.hidden', '=', 0)
    .orderBy('p.published_on', (o) => o.desc().nullsLast())
    .orderBy('p.id', 'desc')
    .limit(AUTHOR_PAPERS_READ)
    .execute();
  if (papers.length === 0) return null;
  const paperIds = [...new Set(papers.map((p) => p.id))];
  const [authors, categories] = await Promise.all([
    db.kysely
      .selectFrom('paper_authors')
      .select(['paper_id', 'name', 'name_key'])
      .where('paper_id', 'in', paperIds)
      .where('name_key', '<>', key)
      .execute(),
    db.kysely
      .selectFrom('paper_categories')
      .select(['paper_id', 'category'])
      .where('paper_id', 'in', paperIds)
      .execute(),
  ]);
  return {
    name: mostCommon(papers.map((p) => p.name))!,
    paperIds,
    coauthors: tally(
      authors.map((a) => ({ key: a.name_key, label: a.name })),
      top,
    ).map(([name, n]) => ({
      name,
      papers: n,
    })),
    categories: tally(
      categories.map((c) => ({ key: c.category, label: c.category })),
      top,
    ).map(([category, n]) => ({
      category,
      papers: n,
    })),
  };
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/** The most frequent keys with a label each (the label most often written for the key), most frequent first. */
function tally(entries: { key: string; label: string }[], top: number): [string, number][] {
  const groups = new Map<string, string[]>();
  for (const entry of entries) groups.set(entry.key, [...(groups.get(entry.key) ?? []), entry.label]);
  return [...groups.values()]
    .map((labels): [string, number] => [mostCommon(labels)!, labels.length])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top);
}
