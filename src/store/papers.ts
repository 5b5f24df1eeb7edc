import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Db } from '../db/connection.js';
import type { PapersTable } from '../db/schema.js';
import { detectLinks, nameKey } from '../ingest/normalize.js';

export interface Author {
  name: string;
  affiliation?: string;
}

export interface PaperVersion {
  version: number;
  date: string | null;
}

/** A paper as ingestion hands it to the store (already normalised). */
export interface PaperRecord {
  id: string;
  title: string;
  abstract: string;
  authors: Author[];
  categories: string[];
  publishedOn: string | null;
  revisedOn?: string | null;
  version?: number;
  versions?: PaperVersion[];
  doi?: string | null;
  journalRef?: string | null;
  comments?: string | null;
  license?: string | null;
}

/** A paper as the rest of the product reads it. */
export interface Paper {
  id: string;
  title: string;
  abstract: string;
  authors: Author[];
  categories: string[];
  primaryCategory: string | null;
  publishedOn: string | null;
  revisedOn: string | null;
  version: number;
  versions: PaperVersion[];
  doi: string | null;
  journalRef: string | null;
  comments: string | null;
  license: string | null;
  githubUrl: string | null;
  projectUrl: string | null;
  featuredOn: string | null;
  submittedBy: string | null;
  submittedAt: string | null;
  upvotes: number;
  numComments: number;
  trendingScore: number;
  hidden: boolean;
  createdAt: string;
  modifiedAt: string;
}

export function toPaper(row: Selectable<PapersTable>): Paper {
  return {
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors) as Author[],
    categories: JSON.parse(row.categories) as string[],
    primaryCategory: row.primary_category,
    publishedOn: row.published_on,
    revisedOn: row.revised_on,
    version: row.version,
    versions: JSON.parse(row.versions) as PaperVersion[],
    doi: row.doi,
    journalRef: row.journal_ref,
    comments: row.comments,
    license: row.license,
    githubUrl: row.github_url,
    projectUrl: row.project_url,
    featuredOn: row.featured_on,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    upvotes: row.upvotes,
    numComments: row.num_comments,
    trendingScore: row.trending_score,
    hidden: row.hidden !== 0,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
  };
}

export interface UpsertOptions {
  /** Features newly stored papers on this day's feed (a paper already featured keeps its day). */
  featuredOn?: string | null;
  /** Marks who submitted them (with featuredOn). */
  submittedBy?: string | null;
  now?: Date;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Ids that were inserted or changed, in input order. */
  changedIds: string[];
}

/** Columns whose value comes from the record; a newer-or-equal version replaces them. */
const CONTENT_COLUMNS = [
  'title', 'abstract', 'authors', 'author_names', 'categories', 'primary_category', 'published_on', 'revised_on',
  'version', 'versions', 'doi', 'journal_ref', 'comments', 'license', 'github_url', 'project_url',
] as const;

function rowFromRecord(record: PaperRecord, options: UpsertOptions, now: string) {
  const links = detectLinks(record.abstract);
  const version = record.version ?? 1;
  return {
    id: record.id,
    title: record.title,
    abstract: record.abstract,
    authors: JSON.stringify(record.authors),
    author_names: record.authors.map((a) => a.name).join(', '),
    categories: JSON.stringify(record.categories),
    primary_category: record.categories[0] ?? null,
    published_on: record.publishedOn,
    revised_on: record.revisedOn ?? record.publishedOn,
    version,
    versions: JSON.stringify(record.versions ?? [{ version, date: record.revisedOn ?? record.publishedOn }]),
    doi: record.doi ?? null,
    journal_ref: record.journalRef ?? null,
    comments: record.comments ?? null,
    license: record.license ?? null,
    github_url: links.githubUrl,
    project_url: links.projectUrl,
    featured_on: options.featuredOn ?? null,
    submitted_by: options.featuredOn ? (options.submittedBy ?? null) : null,
    submitted_at: options.featuredOn ? now : null,
    created_at: now,
    modified_at: now,
  };
}

/**
 * Inserts or updates papers idempotently: an identical record changes nothing, an edited record
 * or a newer version replaces the stored content, an older version never overwrites a newer one.
 */
export async function upsertPapers(db: Db, records: PaperRecord[], options: UpsertOptions = {}): Promise<UpsertResult> {
  const now = (options.now ?? new Date()).toISOString();
  const result: UpsertResult = { inserted: 0, updated: 0, unchanged: 0, changedIds: [] };
  if (records.length === 0) return result;
  const distinct = db.dialect === 'postgres' ? 'IS DISTINCT FROM' : 'IS NOT';
  const newerOrSame = 'excluded.version >= papers.version';
  const contentChanged = CONTENT_COLUMNS.map((c) => `papers.${c} ${distinct} excluded.${c}`).join(' OR ');
  const shouldUpdate = sql.raw<SqlBool>(
    `excluded.version > papers.version OR (excluded.version = papers.version AND (${contentChanged})) OR (papers.featured_on IS NULL AND excluded.featured_on IS NOT NULL)`,
  );

  await db.kysely.transaction().execute(async (trx) => {
    for (const record of records) {
      const row = rowFromRecord(record, options, now);
      const updates: Record<string, unknown> = { modified_at: sql`excluded.modified_at` };
      for (const column of CONTENT_COLUMNS) {
        updates[column] = sql.raw(`CASE WHEN ${newerOrSame} THEN excluded.${column} ELSE papers.${column} END`);
      }
      for (const column of ['featured_on', 'submitted_by', 'submitted_at'] as const) {
        updates[column] = sql.raw(`CASE WHEN papers.featured_on IS NULL THEN excluded.${column} ELSE papers.${column} END`);
      }
      const written = await trx
        .insertInto('papers')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(updates).where(shouldUpdate))
        .returning(['id', 'created_at'])
        .executeTakeFirst();
      if (!written) {
        result.unchanged++;
        continue;
      }
      if (written.created_at === now && !result.changedIds.includes(record.id)) result.inserted++;
      else result.updated++;
      result.changedIds.push(record.id);
      await trx.deleteFrom('paper_authors').where('paper_id', '=', record.id).execute();
      await trx.deleteFrom('paper_categories').where('paper_id', '=', record.id).execute();
      if (record.authors.length > 0) {
        await trx
          .insertInto('paper_authors')
          .values(record.authors.map((a, position) => ({ paper_id: record.id, position, name: a.name, name_key: nameKey(a.name) })))
          .execute();
      }
      if (record.categories.length > 0) {
        await trx
          .insertInto('paper_categories')
          .values(record.categories.map((category, position) => ({ paper_id: record.id, position, category })))
          .execute();
      }
    }
  });
  return result;
}

export async function getPaper(db: Db, id: string): Promise<Paper | null> {
  const row = await db.kysely.selectFrom('papers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPaper(row) : null;
}

export async function getPapers(db: Db, ids: string[]): Promise<Paper[]> {
  if (ids.length === 0) return [];
  const rows = await db.kysely.selectFrom('papers').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, toPaper(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function countPapers(db: Db): Promise<number> {
  const row = await db.kysely.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export type FeedSort = 'upvotes' | 'trending' | 'published';

export interface FeaturedQuery {
  /** Inclusive day range of featured_on. */
  from: string;
  to: string;
  sort?: FeedSort;
  limit?: number;
  offset?: number;
  submittedBy?: string;
  includeHidden?: boolean;
}

/** The papers featured in a day range, ordered for the feed (most upvoted first, ties: earlier submission). */
export async function listFeatured(db: Db, query: FeaturedQuery): Promise<Paper[]> {
  let q = db.kysely
    .selectFrom('papers')
    .selectAll()
    .where('featured_on', '>=', query.from)
    .where('featured_on', '<=', query.to);
  if (!query.includeHidden) q = q.where('hidden', '=', 0);
  if (query.submittedBy) q = q.where('submitted_by', '=', query.submittedBy);
  const sort = query.sort ?? 'upvotes';
  if (sort === 'trending') q = q.orderBy('trending_score', 'desc');
  if (sort === 'published') q = q.orderBy('published_on', 'desc');
  q = q.orderBy('upvotes', 'desc').orderBy('submitted_at', 'asc').orderBy('id', 'asc');
  const rows = await q.limit(query.limit ?? 50).offset(query.offset ?? 0).execute();
  return rows.map(toPaper);
}

/** The most recent day that has featured papers, or null when nothing is featured yet. */
export async function latestFeaturedDay(db: Db): Promise<string | null> {
  const row = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.max('featured_on').as('day'))
    .where('hidden', '=', 0)
    .executeTakeFirst();
  return (row?.day as string | null | undefined) ?? null;
}

/** The nearest days before and after `day` that have featured papers. */
export async function neighbouringFeaturedDays(db: Db, day: string): Promise<{ previous: string | null; next: string | null }> {
  const [before, after] = await Promise.all([
    db.kysely
      .selectFrom('papers')
      .select((eb) => eb.fn.max('featured_on').as('day'))
      .where('featured_on', '<', day)
      .where('hidden', '=', 0)
      .executeTakeFirst(),
    db.kysely
      .selectFrom('papers')
      .select((eb) => eb.fn.min('featured_on').as('day'))
      .where('featured_on', '>', day)
      .where('hidden', '=', 0)
      .executeTakeFirst(),
  ]);
  return { previous: (before?.day as string | null) ?? null, next: (after?.day as string | null) ?? null };
}

/** The stored version number and latest-version date of each of these papers that is stored. */
export async function storedVersions(db: Db, ids: string[]): Promise<Map<string, { version: number; revisedOn: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.kysely.selectFrom('papers').select(['id', 'version', 'revised_on']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { version: r.version, revisedOn: r.revised_on }]));
}
