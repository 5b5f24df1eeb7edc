import { setImmediate } from 'node:timers/promises';
import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { withTransaction } from '../db/transaction.js';
import type { PapersTable } from '../db/schema.js';
import { type ColumnTypes, unnestedRows } from '../db/unnested-rows.js';
import { type CodeLink, nameKey, paperLinks } from './paper-text.js';

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
  /** One-sentence summary of the abstract (the chat model's, or else extractive); null until computed. */
  aiSummary: string | null;
  /** Keyphrases, best first; empty until computed. */
  aiKeywords: string[];
  /** Stars of the GitHub repository, as last checked; null: unknown. */
  githubStars: number | null;
  /** GitLab projects and Hugging Face models, datasets and spaces named in the abstract or comments. */
  codeLinks: CodeLink[];
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
    // The chat model's summary of the current text, when there is one (LLM_URL); else the extractive one.
    aiSummary: row.llm_summary !== null && row.llm_summary_from === row.modified_at ? row.llm_summary : row.ai_summary,
    aiKeywords: row.ai_keywords ? (JSON.parse(row.ai_keywords) as string[]) : [],
    githubStars: row.github_stars,
    // Read from the text each time (a scan most abstracts skip at once), so papers stored before were found too.
    codeLinks: paperLinks(row.abstract, row.comments).codeLinks,
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
  'title',
  'abstract',
  'authors',
  'author_names',
  'categories',
  'primary_category',
  'published_on',
  'revised_on',
  'version',
  'versions',
  'doi',
  'journal_ref',
  'comments',
  'license',
  'github_url',
  'project_url',
] as const;

function rowFromRecord(record: PaperRecord, options: UpsertOptions, now: string) {
  const links = paperLinks(record.abstract, record.comments);
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

/** A write of this many papers is a bulk import's. */
const LARGE_WRITE = 500;

/**
 * For the rest of a transaction that writes many papers (each written row, even one whose score alone changed,
 * adds its every word to the full-text indexes): PostgreSQL's GIN indexes gather new entries in a pending list
 * and merge it into the index whenever it outgrows a limit (4 MB by default); merged in larger runs, each
 * word's posting list is rewritten less often (97k papers imported in 67 s against 87 s). Searches scan the
 * pending list too, so importJsonl merges what is left when it ends (settleFullTextIndexes).
 */
export async function mergeFullTextEntriesInLargeRuns(tx: Db): Promise<void> {
  if (dialectOf(tx).fullText === 'tsvector') await sql`SET LOCAL gin_pending_list_limit = '64MB'`.execute(tx.kysely);
}

/** Merges the full-text indexes' pending entries (PostgreSQL), so searches after a bulk import do not scan them. */
export async function settleFullTextIndexes(db: Db): Promise<void> {
  if (dialectOf(db).fullText !== 'tsvector') return;
  await sql`SELECT gin_clean_pending_list(indexrelid) FROM pg_index
    WHERE indexrelid IN ('papers_search'::regclass, 'papers_title_search'::regclass)`.execute(db.kysely);
}

type PaperRow = ReturnType<typeof rowFromRecord>;

const PAPER_COLUMNS: ColumnTypes<PaperRow> = {
  id: 'text',
  title: 'text',
  abstract: 'text',
  authors: 'text',
  author_names: 'text',
  categories: 'text',
  primary_category: 'text',
  published_on: 'text',
  revised_on: 'text',
  version: 'integer',
  versions: 'text',
  doi: 'text',
  journal_ref: 'text',
  comments: 'text',
  license: 'text',
  github_url: 'text',
  project_url: 'text',
  featured_on: 'text',
  submitted_by: 'text',
  submitted_at: 'text',
  created_at: 'text',
  modified_at: 'text',
};
const AUTHOR_COLUMNS = { paper_id: 'text', position: 'integer', name: 'text', name_key: 'text' } as const;
const CATEGORY_COLUMNS = { paper_id: 'text', position: 'integer', category: 'text' } as const;

/**
 * Rows per statement. SQLite binds at most 32,766 parameters per statement: 400 papers × 22 columns and
 * 6,000 child rows × 4 columns stay below it. On PostgreSQL a column is one array parameter, whatever the rows.
 */
function rowsPerStatement(db: Db) {
  return dialectOf(db).arrayParameters ? { papers: 2_000, children: 20_000 } : { papers: 400, children: 6_000 };
}

/** Consecutive groups of at most `size` records with distinct ids (one statement may not touch a row twice). */
function* statementGroups(records: PaperRecord[], size: number): Generator<PaperRecord[]> {
  let group: PaperRecord[] = [];
  const ids = new Set<string>();
  for (const record of records) {
    if (group.length === size || ids.has(record.id)) {
      yield group;
      group = [];
      ids.clear();
    }
    group.push(record);
    ids.add(record.id);
  }
  if (group.length > 0) yield group;
}

function* slices<T>(items: T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** An INSERT of these rows into `table`: unnested arrays where the database takes them, else a VALUES list. */
function insertRows<T extends 'papers' | 'paper_authors' | 'paper_categories', Row extends object>(
  db: Db,
  table: T,
  rows: Row[],
  columns: ColumnTypes<Row>,
) {
  const insert = db.kysely.insertInto(table);
  if (!dialectOf(db).arrayParameters) return insert.values(rows as never);
  return insert.columns(Object.keys(columns) as never).expression(unnestedRows(rows, columns));
}

/**
 * Writes the author and category rows of papers whose content was just written. Only papers that
 * were stored before have rows to delete: skipping the delete for new ones matters on PostgreSQL,
 * where an IN list over a table without statistics yet (a bulk import) is planned as a full scan.
 * A paper that a concurrent writer stored unseen keeps the rows at positions written here.
 */
async function writeAuthorsAndCategories(tx: Db, records: PaperRecord[], replacedIds: string[]): Promise<void> {
  if (replacedIds.length > 0) {
    await tx.kysely.deleteFrom('paper_authors').where('paper_id', 'in', replacedIds).execute();
    await tx.kysely.deleteFrom('paper_categories').where('paper_id', 'in', replacedIds).execute();
  }
  const perStatement = rowsPerStatement(tx).children;
  const authorRows = records.flatMap((r) =>
    r.authors.map((a, position) => ({ paper_id: r.id, position, name: a.name, name_key: nameKey(a.name) })),
  );
  for (const rows of slices(authorRows, perStatement)) {
    await insertRows(tx, 'paper_authors', rows, AUTHOR_COLUMNS)
      .onConflict((oc) =>
        oc
          .columns(['paper_id', 'position'])
          .doUpdateSet({ name: sql`excluded.name`, name_key: sql`excluded.name_key` }),
      )
      .execute();
  }
  const categoryRows = records.flatMap((r) =>
    r.categories.map((category, position) => ({ paper_id: r.id, position, category })),
  );
  for (const rows of slices(categoryRows, perStatement)) {
    await insertRows(tx, 'paper_categories', rows, CATEGORY_COLUMNS)
      .onConflict((oc) => oc.columns(['paper_id', 'position']).doUpdateSet({ category: sql`excluded.category` }))
      .execute();
  }
}

/**
 * Inserts or updates papers idempotently: an identical record changes nothing, an edited record
 * or a newer version replaces the stored content, an older version never overwrites a newer one.
 */
export async function upsertPapers(db: Db, records: PaperRecord[], options: UpsertOptions = {}): Promise<UpsertResult> {
  const now = (options.now ?? new Date()).toISOString();
  const result: UpsertResult = { inserted: 0, updated: 0, unchanged: 0, changedIds: [] };
  if (records.length === 0) return result;
  const newerOrSame = 'excluded.version >= papers.version';
  const { isDistinctFrom } = dialectOf(db);
  const contentChanged = CONTENT_COLUMNS.map((c) => `papers.${c} ${isDistinctFrom} excluded.${c}`).join(' OR ');
  const shouldUpdate = sql.raw<SqlBool>(
    `excluded.version > papers.version OR (excluded.version = papers.version AND (${contentChanged})) OR (papers.featured_on IS NULL AND excluded.featured_on IS NOT NULL)`,
  );
  const updates: Record<string, unknown> = { modified_at: sql`excluded.modified_at` };
  for (const column of CONTENT_COLUMNS) {
    updates[column] = sql.raw(`CASE WHEN ${newerOrSame} THEN excluded.${column} ELSE papers.${column} END`);
  }
  for (const column of ['featured_on', 'submitted_by', 'submitted_at'] as const) {
    updates[column] = sql.raw(`CASE WHEN papers.featured_on IS NULL THEN excluded.${column} ELSE papers.${column} END`);
  }
  // A paper featured now enters the feed now: its score (from votes cast before, counted from its publication) is
  // left for the trending sweep, which reads only unscored papers.
  updates.trending_score = sql.raw(
    'CASE WHEN papers.featured_on IS NULL AND excluded.featured_on IS NOT NULL THEN 0 ELSE papers.trending_score END',
  );

  await withTransaction(db, async (tx) => {
    const trx = tx.kysely;
    if (records.length >= LARGE_WRITE) await mergeFullTextEntriesInLargeRuns(tx);
    for (const group of statementGroups(records, rowsPerStatement(tx).papers)) {
      // Which are stored already (this transaction's earlier groups included): those are updates, the rest inserts.
      const stored = await trx
        .selectFrom('papers')
        .select('id')
        .where(
          'id',
          'in',
          group.map((r) => r.id),
        )
        .execute();
      const storedIds = new Set(stored.map((row) => row.id));
      // RETURNING yields the inserted and updated rows only; a row the WHERE kept unchanged is absent.
      const rows = group.map((record) => rowFromRecord(record, options, now));
      const written = await insertRows(tx, 'papers', rows, PAPER_COLUMNS)
        .onConflict((oc) => oc.column('id').doUpdateSet(updates).where(shouldUpdate))
        .returning('id')
        .execute();
      const writtenIds = new Set(written.map((row) => row.id));
      const changed: PaperRecord[] = [];
      const replacedIds: string[] = [];
      for (const record of group) {
        if (!writtenIds.has(record.id)) {
          result.unchanged++;
          continue;
        }
        if (storedIds.has(record.id)) {
          result.updated++;
          replacedIds.push(record.id);
        } else {
          result.inserted++;
        }
        result.changedIds.push(record.id);
        changed.push(record);
      }
      await writeAuthorsAndCategories(tx, changed, replacedIds);
      // better-sqlite3 runs statements synchronously: between groups of a large write, let the
      // event loop read sockets (the next harvest page, web requests) instead of stalling them.
      await setImmediate();
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

/** Title and abstract of the visible papers of these ids (in no order): what ranking by words reads. */
export async function visiblePaperTexts(
  db: Db,
  ids: string[],
): Promise<{ id: string; title: string; abstract: string }[]> {
  if (ids.length === 0) return [];
  return db.kysely
    .selectFrom('papers')
    .select(['id', 'title', 'abstract'])
    .where('id', 'in', ids)
    .where('hidden', '=', 0)
    .execute();
}

/** Which of these ids are visible papers (a hidden or unknown id is left out). */
export async function visiblePaperIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.kysely
    .selectFrom('papers')
    .select('id')
    .where('id', 'in', ids)
    .where('hidden', '=', 0)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function countPapers(db: Db): Promise<number> {
  const row = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type FeedSort = 'upvotes' | 'trending' | 'published' | 'stars';

/**
 * The deepest a featured list pages to. An offset costs a walk over that many index entries (or a
 * sort keeping that many), so a stranger's `?p=900` could otherwise hold a SQLite server for seconds.
 */
export const MAX_FEATURED_OFFSET = 5_000;

export interface FeaturedQuery {
  /** Inclusive day range of featured_on; without one, the whole feed. */
  from?: string;
  to?: string;
  sort?: FeedSort;
  limit?: number;
  /** At most MAX_FEATURED_OFFSET. */
  offset?: number;
  submittedBy?: string;
  includeHidden?: boolean;
  /** Only papers in any of these categories. */
  categories?: string[];
  /** No paper in any of these categories. */
  excludedCategories?: string[];
}

/** The ids of the papers in any of these categories, for `where('id', 'in' | 'not in', …)`. */
function papersInCategories(db: Db, categories: string[]) {
  return db.kysely.selectFrom('paper_categories').select('paper_id').where('category', 'in', categories);
}

/**
 * The papers featured in a day range, ordered for the feed (most upvoted first, ties: earlier
 * submission). Each order is the order of an index (migrations 050 and 091), and the page is picked
 * from the index alone before its rows are read, so a deep page reads 50 rows, not all before it.
 */
export async function listFeatured(db: Db, query: FeaturedQuery): Promise<Paper[]> {
  const offset = query.offset ?? 0;
  if (offset > MAX_FEATURED_OFFSET) throw new RangeError(`featured lists page only to offset ${MAX_FEATURED_OFFSET}`);
  // The whole feed as "featured at all", not as a range of days: the planner then walks the index
  // in the order asked for rather than a range of days that holds every paper.
  let q = db.kysely.selectFrom('papers').select('id').where('featured_on', 'is not', null);
  if (query.from) q = q.where('featured_on', '>=', query.from);
  if (query.to) q = q.where('featured_on', '<=', query.to);
  if (!query.includeHidden) q = q.where('hidden', '=', 0);
  if (query.submittedBy) q = q.where('submitted_by', '=', query.submittedBy);
  if (query.categories?.length) q = q.where('id', 'in', papersInCategories(db, query.categories));
  if (query.excludedCategories?.length) q = q.where('id', 'not in', papersInCategories(db, query.excludedCategories));
  const sort = query.sort ?? 'upvotes';
  if (sort === 'trending') {
    q = q.orderBy('trending_score', 'desc').orderBy('upvotes', 'desc').orderBy('featured_on', 'desc');
  } else if (sort === 'stars') {
    // Papers without a known count come last (PostgreSQL puts NULLs first in a descending order otherwise).
    q = q.orderBy('github_stars', (o) => o.desc().nullsLast()).orderBy('upvotes', 'desc');
  } else {
    if (sort === 'published') q = q.orderBy('published_on', 'desc');
    q = q.orderBy('upvotes', 'desc').orderBy('submitted_at', 'asc');
  }
  const page = await q
    .orderBy('id', 'asc')
    .limit(query.limit ?? 50)
    .offset(offset)
    .execute();
  return getPapers(
    db,
    page.map((row) => row.id),
  );
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

type CategoryNarrowing = Pick<FeaturedQuery, 'categories' | 'excludedCategories'>;

/** Visible papers, narrowed to a page's categories (`?category=`). */
function visibleInCategories(db: Db, filter: CategoryNarrowing) {
  let q = db.kysely.selectFrom('papers').where('hidden', '=', 0);
  if (filter.categories?.length) q = q.where('id', 'in', papersInCategories(db, filter.categories));
  if (filter.excludedCategories?.length) q = q.where('id', 'not in', papersInCategories(db, filter.excludedCategories));
  return q;
}

/** The nearest days before and after `day` that have featured papers (in the categories asked for). */
export async function neighbouringFeaturedDays(
  db: Db,
  day: string,
  filter: CategoryNarrowing = {},
): Promise<{ previous: string | null; next: string | null }> {
  const [before, after] = await Promise.all([
    visibleInCategories(db, filter)
      .select((eb) => eb.fn.max('featured_on').as('day'))
      .where('featured_on', '<', day)
      .executeTakeFirst(),
    visibleInCategories(db, filter)
      .select((eb) => eb.fn.min('featured_on').as('day'))
      .where('featured_on', '>', day)
      .executeTakeFirst(),
  ]);
  return { previous: (before?.day as string | null) ?? null, next: (after?.day as string | null) ?? null };
}

/**
 * Features a not-yet-featured paper on `day` as a member's submission. False when it is already
 * featured (a concurrent or earlier submission won), so a paper is never featured twice.
 */
export async function featureSubmittedPaper(
  db: Db,
  id: string,
  submission: { day: string; submittedBy: string; now: Date },
): Promise<boolean> {
  const stamp = submission.now.toISOString();
  const result = await db.kysely
    .updateTable('papers')
    .set({ featured_on: submission.day, submitted_by: submission.submittedBy, submitted_at: stamp, modified_at: stamp })
    .where('id', '=', id)
    .where('featured_on', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Credits a member's submissions to another name (a deleted account's to DELETED_MEMBER); they stay featured. */
export async function recreditSubmissions(db: Db, from: string, to: string, now = new Date()): Promise<void> {
  await db.kysely
    .updateTable('papers')
    .set({ submitted_by: to, modified_at: now.toISOString() })
    .where('submitted_by', '=', from)
    .execute();
}

/** How many papers a member has submitted since a moment (for the daily limit). */
export async function countSubmissionsSince(db: Db, submittedBy: string, since: Date): Promise<number> {
  const row = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('submitted_by', '=', submittedBy)
    .where('submitted_at', '>=', since.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setPaperHidden(db: Db, id: string, hidden: boolean): Promise<boolean> {
  const result = await db.kysely
    .updateTable('papers')
    .set({ hidden: hidden ? 1 : 0 })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Featured, visible papers by trending score (or by GitHub stars), highest first. */
export function listTrending(
  db: Db,
  options: Pick<FeaturedQuery, 'limit' | 'offset' | 'categories' | 'excludedCategories'> & {
    sort?: 'trending' | 'stars';
  } = {},
): Promise<Paper[]> {
  return listFeatured(db, { sort: 'trending', ...options });
}

/** The stored version number and latest-version date of each of these papers that is stored. */
export async function storedVersions(
  db: Db,
  ids: string[],
): Promise<Map<string, { version: number; revisedOn: string | null }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('papers')
    .select(['id', 'version', 'revised_on'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { version: r.version, revisedOn: r.revised_on }]));
}

/** A page of these papers (search matches) in another order: newest published or most upvoted first. */
export async function orderPaperIds(
  db: Db,
  ids: string[],
  order: 'published' | 'upvotes',
  page: { limit: number; offset: number },
): Promise<string[]> {
  if (ids.length === 0) return [];
  let query = db.kysely.selectFrom('papers').select('id').where('id', 'in', ids);
  query =
    order === 'published'
      ? query.orderBy('published_on', (o) => o.desc().nullsLast()).orderBy('upvotes', 'desc')
      : query.orderBy('upvotes', 'desc').orderBy('published_on', (o) => o.desc().nullsLast());
  const rows = await query.orderBy('id').limit(page.limit).offset(page.offset).execute();
  return rows.map((r) => r.id);
}

/** The days in an inclusive range that have visible featured papers, in order (for the calendar). */
export async function featuredDaysBetween(
  db: Db,
  from: string,
  to: string,
  filter: CategoryNarrowing = {},
): Promise<string[]> {
  const rows = await visibleInCategories(db, filter)
    .select('featured_on')
    .distinct()
    .where('featured_on', '>=', from)
    .where('featured_on', '<=', to)
    .orderBy('featured_on', 'asc')
    .execute();
  return rows.map((row) => row.featured_on!);
}

/** The most recently featured visible papers, newest first, up to `limit` (for the sitemap). */
export async function recentlyFeatured(
  db: Db,
  limit: number,
): Promise<{ id: string; featuredOn: string; modifiedAt: string }[]> {
  const rows = await db.kysely
    .selectFrom('papers')
    .select(['id', 'featured_on', 'modified_at'])
    .where('featured_on', 'is not', null)
    .where('hidden', '=', 0)
    .orderBy('featured_on', 'desc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ id: row.id, featuredOn: row.featured_on!, modifiedAt: row.modified_at }));
}
