import type { Db } from '../db/connection.js';

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

/** The newest visible papers with an author of one of these keys, or in one of these categories, at most `limit` of each. */
export async function newestPapersOf(
  db: Db,
  of: { authorKeys: string[]; categories: string[] },
  range: DayRange,
  limit: number,
): Promise<{ id: string }[]> {
  const lists = await Promise.all([
    ...of.authorKeys.map((key) => {
      let q = db.kysely
        .selectFrom('paper_authors as a')
        .innerJoin('papers as p', 'p.id', 'a.paper_id')
        .select('p.id')
        .where('a.name_key', '=', key)
        .where('p.hidden', '=', 0);
      if (range.from) q = q.where('p.published_on', '>=', range.from);
      if (range.to) q = q.where('p.published_on', '<=', range.to);
      return q
        .orderBy('p.published_on', (o) => o.desc().nullsLast())
        .orderBy('p.id')
        .limit(limit)
        .execute();
    }),
    ...of.categories.map((category) => {
      let q = db.kysely
        .selectFrom('paper_categories as c')
        .innerJoin('papers as p', 'p.id', 'c.paper_id')
        .select('p.id')
        .where('c.category', '=', category)
        .where('p.hidden', '=', 0);
      if (range.from) q = q.where('p.published_on', '>=', range.from);
      if (range.to) q = q.where('p.published_on', '<=', range.to);
      return q
        .orderBy('p.published_on', (o) => o.desc().nullsLast())
        .orderBy('p.id')
        .limit(limit)
        .execute();
    }),
  ]);
  return lists.flat();
}
