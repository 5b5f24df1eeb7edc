import { sql, type RawBuilder } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Db } from '../db/connection.js';
import { dialectOf, type Dialect } from '../db/dialect.js';
import { parsePaperId } from '../ingest/normalize.js';
import { MIN_AUTHOR_WORD, parseQuery, wordsOf, type ParsedQuery, type QueryClause } from './query.js';
import type { SearchFilters, SearchHit, SearchRequest } from './types.js';

export type { SearchHit } from './types.js';

export type LexicalQuery = Pick<SearchRequest, 'text' | 'filters' | 'offset'> & { limit?: number };

const MAX_TERMS = 64;

/** The search box's words: letters and digits only, so none can act as query syntax (saved searches use them too). */
export function queryTerms(text: string): string[] {
  return [...new Set(wordsOf(text))].slice(0, MAX_TERMS);
}

/**
 * Field weights: a word in the title counts most, then the abstract, then the author names; tuned
 * on scifact-train (nDCG@10). FTS5's bm25 takes them per column (title, abstract, author_names);
 * PostgreSQL's BM25 (postgresMatches) per weight label of the tsvector: A (title), B (abstract), C (authors).
 */
const FIELD_WEIGHTS = { title: 4, abstract: 1, authors: 0.5 };
const SQLITE_WEIGHTS = sql.raw(`${FIELD_WEIGHTS.title}, ${FIELD_WEIGHTS.abstract}, ${FIELD_WEIGHTS.authors}`);
/** ts_rank's weights per label (D, C, B, A), which pick the matches BM25 then ranks on PostgreSQL. */
const POSTGRES_WEIGHTS = sql.raw(`'{0.1, 0.1, 0.6, 1.0}'`);

/**
 * The best few matches by BM25 inside the full-text index alone are fetched before joining the papers
 * table (whose per-row lookup dominates for common words); this many extra rows cover hidden papers.
 */
const HIDDEN_MARGIN = 20;

/** The paper an arXiv id, arXiv URL or `source:id` typed into the search box names, when we have it. */
export async function paperNamedBy(db: Db, text: string): Promise<string | null> {
  const parsed = parsePaperId(text);
  if (!parsed) return null;
  const row = await db.kysely
    .selectFrom('papers')
    .select('id')
    .where('id', '=', parsed.id)
    .where('hidden', '=', 0)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** A clause of the query, or an author filter: a phrase among the author names, its last word a prefix ("hint" finds Hinton). */
type Clause = QueryClause & { author?: boolean };

/** The clauses that must match: the reader's phrases, prefixes and title parts, and the author filters. */
function requiredClauses(query: ParsedQuery, filters: SearchFilters): Clause[] {
  const authors = [query.author, filters.author]
    .map((name) => wordsOf(name ?? '').slice(0, 12))
    .filter((words) => words.length > 0)
    .map((words): Clause => {
      const prefix = words.at(-1)!.length >= MIN_AUTHOR_WORD;
      return { words, prefix, titleOnly: false, required: true, author: true };
    });
  return [...query.clauses.filter((c) => c.required), ...authors];
}

/** One pass over the index: papers matching every `all` clause and, when `any` is given, at least one of those. */
interface Tier {
  all: Clause[];
  any: Clause[];
}

/** The same clauses, matched in the title only (author filters stay on the authors). */
function inTitle(clauses: Clause[]): Clause[] {
  return clauses.map((c) => (c.author ? c : { ...c, titleOnly: true }));
}

/**
 * Ranks papers by BM25 with the title weighted above the abstract above the authors, in tiers:
 * (on PostgreSQL) papers with every word in the title, then papers with every word anywhere, then
 * papers with some of the words. A tier runs only when the ones before it fill less than the page,
 * so a page is filled from the next tier after the every-word hits. (Some words in the title
 * before some words anywhere measured far worse on scifact.)
 */
export async function searchLexical(db: Db, request: LexicalQuery): Promise<SearchHit[]> {
  const limit = request.limit ?? 20;
  const offset = request.offset ?? 0;
  const filters = request.filters ?? {};
  const named = await paperNamedBy(db, request.text);
  if (named) return offset === 0 ? [{ id: named, score: 1 }] : [];

  const query = parseQuery(request.text);
  const required: Clause[] = requiredClauses(query, filters);
  const optional: Clause[] = query.clauses.filter((c) => !c.required);
  const categoryLists = [query.categories, filters.categories ?? []].filter((list) => list.length > 0);
  const scope: Scope = {
    from: filters.from ?? null,
    to: filters.to ?? null,
    categoryLists,
    excludedCategories: filters.excludedCategories ?? [],
    excludedWords: {
      fullText: dialectOf(db).fullText,
      phrases: [...query.excluded.map((words) => words.join(' ')), ...(filters.excludedWords ?? [])],
    },
  };
  const need = offset + limit;
  if (required.length === 0 && optional.length === 0)
    return isUnscoped(scope) ? [] : newestInScope(db, scope, limit, offset);

  const engine = fullTextEngines[dialectOf(db).fullText];
  const words = [...required, ...(await engine.matchableEverywhere(db, optional))];
  const titleFirst = engine.titleTierFirst && words.some((c) => !c.author && !c.titleOnly);
  const tiers: Tier[] = titleFirst ? [{ all: inTitle(words), any: [] }] : [];
  tiers.push({ all: words, any: [] });
  if (optional.length >= 2) tiers.push({ all: required, any: optional });
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  for (const tier of tiers) {
    // A later tier's best `need` include the earlier tiers' hits (every-word papers have some
    // words too), all of them known by now, so at least `need - hits.length` new ones remain.
    const found = (await engine.rankedMatches(db, tier, scope, need)).filter((hit) => !seen.has(hit.id));
    // Scores are BM25 within a tier; scaled below the previous tier's last so the list reads best first.
    const floor = hits.at(-1)?.score;
    const top = found[0]?.score ?? 0;
    for (const hit of found) {
      seen.add(hit.id);
      hits.push(floor !== undefined && top > floor ? { id: hit.id, score: (hit.score * floor) / top } : hit);
    }
    if (hits.length >= need) break;
  }
  return hits.slice(offset, need);
}

/**
 * Papers with any of these words (letters and digits only, as `contentWords` gives them), best
 * first by BM25 over title, abstract and authors: the "more like this" query of similar papers.
 */
export async function searchAnyWord(db: Db, words: string[], limit: number): Promise<SearchHit[]> {
  if (words.length === 0) return [];
  const any = words.map((word): Clause => ({ words: [word], prefix: false, titleOnly: false, required: false }));
  const scope: Scope = {
    from: null,
    to: null,
    categoryLists: [],
    excludedCategories: [],
    excludedWords: { fullText: dialectOf(db).fullText, phrases: [] },
  };
  return fullTextEngines[dialectOf(db).fullText].rankedMatches(db, { all: [], any }, scope, limit);
}

/** What narrows the matches besides the words: the publication day range and category lists (any of each). */
interface Scope {
  from: string | null;
  to: string | null;
  categoryLists: string[][];
  /** Categories whose papers are left out. */
  excludedCategories: string[];
  /** Words and phrases whose papers are left out, and the index that finds them. */
  excludedWords: { fullText: Dialect['fullText']; phrases: string[] };
}

function isUnscoped(scope: Scope): boolean {
  return (
    scope.from === null &&
    scope.to === null &&
    scope.categoryLists.length === 0 &&
    scope.excludedCategories.length === 0 &&
    scope.excludedWords.phrases.length === 0
  );
}

/** Without words to rank by (only `cat:` or dates), the newest papers in the scope. */
async function newestInScope(db: Db, scope: Scope, limit: number, offset: number): Promise<SearchHit[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT papers.id AS id FROM papers
    WHERE ${sql.join(scopeConditions(scope), sql` AND `)}
    ORDER BY papers.published_on IS NULL, papers.published_on DESC, papers.id
    LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely);
  return rows.map((row) => ({ id: row.id, score: 0 }));
}

function scopeConditions(scope: Scope): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [sql`papers.hidden = 0`];
  if (scope.from) conditions.push(sql`papers.published_on >= ${scope.from}`);
  if (scope.to) conditions.push(sql`papers.published_on <= ${scope.to}`);
  for (const list of scope.categoryLists) {
    conditions.push(
      sql`EXISTS (SELECT 1 FROM paper_categories WHERE paper_categories.paper_id = papers.id AND paper_categories.category IN (${sql.join(list)}))`,
    );
  }
  if (scope.excludedCategories.length > 0) {
    conditions.push(
      sql`NOT EXISTS (SELECT 1 FROM paper_categories WHERE paper_categories.paper_id = papers.id AND paper_categories.category IN (${sql.join(scope.excludedCategories)}))`,
    );
  }
  const { fullText, phrases } = scope.excludedWords;
  if (phrases.length > 0) conditions.push(withoutWords(fullText, phrases, 'papers'));
  return conditions;
}

/**
 * A condition on a paper row (the table or alias named) that it has none of these words or phrases
 * (`-word`), by the full-text index, matched as searches match them (stemmed, in any field). The words
 * hold only letters and digits (wordsOf), so they can be quoted into either query language.
 */
export function withoutWords(
  fullText: Dialect['fullText'],
  phrases: string[],
  row: 'papers' | 'p',
): RawBuilder<unknown> {
  const clauses = phrases.map(
    (phrase): Clause => ({ words: phrase.split(' '), prefix: false, titleOnly: false, required: true }),
  );
  const ref = sql.ref(row);
  if (fullText === 'fts5') {
    const match = clauses.map(ftsClause).join(' OR ');
    return sql`${ref}.rowid NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ${match})`;
  }
  return sql`NOT (${ref}.search_vector @@ (${sql.join(clauses.map(tsQuery), sql` || `)}))`;
}

/**
 * How a full-text index ranks a tier's matches in the scope (best first), whether a title tier goes first, and which
 * of the plain words the every-word tiers can require.
 */
interface FullTextEngine {
  rankedMatches(db: Db, tier: Tier, scope: Scope, limit: number): Promise<SearchHit[]>;
  titleTierFirst: boolean;
  matchableEverywhere(db: Db, optional: Clause[]): Promise<Clause[]>;
}

const fullTextEngines: Record<Dialect['fullText'], FullTextEngine> = {
  // FTS5 ranks from its index quickly enough that an extra title pass costs more than it saves. It indexes every word.
  fts5: { rankedMatches: sqliteMatches, titleTierFirst: false, matchableEverywhere: async (_, optional) => optional },
  // PostgreSQL ranks a tier's matches (up to RANKED_MATCHES) by reading each one's stored tsvector, so a common word's titles go first.
  tsvector: { rankedMatches: postgresMatches, titleTierFirst: true, matchableEverywhere: withoutStopWords },
};

// --- SQLite: FTS5 -----------------------------------------------------------------------------

/** One clause as FTS5 query text; words hold only letters and digits, so quoting them is safe. */
function ftsClause(clause: Clause): string {
  const phrase = `"${clause.words.join(' ')}"${clause.prefix ? ' *' : ''}`;
  if (clause.author) return `author_names : ${phrase}`;
  return clause.titleOnly ? `title : ${phrase}` : phrase;
}

/** The FTS5 query for papers with every word of the text (the first tier of `searchLexical` on SQLite), for benchmarks. */
export function ftsQueryForAllWords(text: string): string {
  const query = parseQuery(text);
  return ftsExpression({ all: [...requiredClauses(query, {}), ...query.clauses.filter((c) => !c.required)], any: [] });
}

function ftsExpression(tier: Tier): string {
  const parts = tier.all.map(ftsClause);
  if (tier.any.length > 0) parts.push(`(${tier.any.map(ftsClause).join(' OR ')})`);
  return parts.join(' AND ');
}

async function sqliteMatches(db: Db, tier: Tier, scope: Scope, limit: number): Promise<SearchHit[]> {
  const match = ftsExpression(tier);
  const conditions = sql.join(scopeConditions(scope), sql` AND `);
  if (isUnscoped(scope)) {
    const best = limit + HIDDEN_MARGIN;
    const { rows } = await sql<SearchHit & { hidden: number }>`
      SELECT papers.id AS id, -best.score AS score, papers.hidden AS hidden
      FROM (SELECT rowid, bm25(papers_fts, ${SQLITE_WEIGHTS}) AS score FROM papers_fts
            WHERE papers_fts MATCH ${match} ORDER BY score LIMIT ${best}) AS best
      JOIN papers ON papers.rowid = best.rowid
      ORDER BY best.score, papers.id`.execute(db.kysely);
    const visible = rows
      .filter((row) => row.hidden === 0)
      .slice(0, limit)
      .map(({ id, score }) => ({ id, score }));
    // Complete unless more hidden papers than the margin were among the best.
    if (visible.length === limit || rows.length < best) return visible;
  }
  const { rows } = await sql<SearchHit>`
    SELECT papers.id AS id, -bm25(papers_fts, ${SQLITE_WEIGHTS}) AS score
    FROM papers_fts JOIN papers ON papers.rowid = papers_fts.rowid
    WHERE papers_fts MATCH ${match} AND ${conditions}
    ORDER BY bm25(papers_fts, ${SQLITE_WEIGHTS}), papers.id
    LIMIT ${limit}`.execute(db.kysely);
  return rows;
}

// --- PostgreSQL: weighted tsvector (title A, abstract B, authors C) --------------------------

/** One clause as tsquery text, `'a' <-> 'b':*`, each word labelled with the field weight it must have. */
function tsPhrase(clause: Clause, label: string): string {
  return clause.words
    .map((word, i) => {
      const prefix = clause.prefix && i === clause.words.length - 1 ? '*' : '';
      return `'${word}'${prefix || label ? `:${prefix}${label}` : ''}`;
    })
    .join(' <-> ');
}

/**
 * A clause as tsquery text. The fields sit end to end in one tsvector, so a phrase is matched
 * within each field (the title's last word and the abstract's first are adjacent there).
 */
function tsClause(clause: Clause): string {
  if (clause.author) return tsPhrase(clause, 'C');
  if (clause.titleOnly) return tsPhrase(clause, 'A');
  if (clause.words.length === 1) return tsPhrase(clause, '');
  return `(${tsPhrase(clause, 'A')}) | (${tsPhrase(clause, 'B')})`;
}

/**
 * A clause as a tsquery: stemmed ('english', as titles and abstracts are indexed) or as written
 * ('simple', as author names are indexed); an author clause only as written.
 */
function tsQuery(clause: Clause): RawBuilder<unknown> {
  const text = tsClause(clause);
  if (clause.author) return sql`to_tsquery('simple', ${text})`;
  return sql`(to_tsquery('english', ${text}) || to_tsquery('simple', ${text}))`;
}

/**
 * The plain words less English stop words ("the", "how"), unless only stop words were typed. Titles and abstracts
 * are indexed without them, so requiring one ("The Use of ...") left the title and every-word tiers empty and the
 * page to the "some words" tier; they still count there, where they can match an author's name ("He").
 */
async function withoutStopWords(db: Db, optional: Clause[]): Promise<Clause[]> {
  const single = optional.filter((c) => c.words.length === 1 && !c.prefix);
  if (single.length === 0 || optional.length === 1) return optional;
  const { rows } = await sql<{ word: string }>`
    SELECT word FROM unnest(${single.map((c) => c.words[0]!)}::text[]) AS word
    WHERE numnode(to_tsquery('english', quote_literal(word))) = 0`.execute(db.kysely);
  const stop = new Set(rows.map((row) => row.word));
  const kept = optional.filter((c) => !(c.words.length === 1 && !c.prefix && stop.has(c.words[0]!)));
  return kept.length > 0 ? kept : optional;
}

/**
 * What the title must match, as a condition on the title's own index: the tsvector of every field
 * has no index by field, so without it a title tier would read every paper that has the words anywhere.
 */
function titleCondition(tier: Tier): RawBuilder<unknown> | null {
  const english = (clause: Clause) => sql`to_tsquery('english', ${tsPhrase(clause, '')})`;
  const parts = tier.all.filter((c) => c.titleOnly && !c.author).map(english);
  if (tier.any.length > 0 && tier.any.every((c) => c.titleOnly && !c.author))
    parts.push(sql`(${sql.join(tier.any.map(english), sql` || `)})`);
  return parts.length > 0 ? sql`to_tsvector('english', papers.title) @@ (${sql.join(parts, sql` && `)})` : null;
}

/**
 * The most matches a tier ranks on PostgreSQL. ts_rank reads each match's row (~0.1 ms at 2.5M papers), so a common
 * word's tier cost seconds (p99 1.8 s at 97k, growing with the corpus). An every-word tier ranks the first found; a
 * "some words" tier those with its rarest words first, which BM25 favours: scifact-train's lexical nDCG@10 is 0.610
 * with 2,000 (0.611 with every match ranked; 0.415 with 1,000 taken as the index yielded them).
 */
const RANKED_MATCHES = 2_000;
/**
 * A tier whose words must be in the title ranks fewer: its matches have them all there already, and at 2.5M papers a common title word
 * ("Large", 193k titles) took 0.5-0.7 s for 5,000. scifact-train is unchanged (no title tier of its 5,183 papers has
 * more).
 */
const RANKED_TITLE_MATCHES = 1_000;

/**
 * Memory for a search's bitmap of matching rows. At PostgreSQL's default (4 MB) a word in 100k+ papers makes the
 * bitmap lossy, and every row of its pages is checked again (the title's tsvector computed anew): 0.74 s against
 * 0.52 s for "large" at 2.5M. Set for the search's own transaction only.
 */
const SEARCH_WORK_MEM = '32MB';

/**
 * A word in more papers than this is not matched on in a "some words" tier on PostgreSQL, though it still counts in
 * the ranking: the GIN index reads an OR's posting lists in full before the first row, and a long title's common
 * words ("model", "learning") are millions of entries at 2.5M papers. At 97k papers a word must be in half of them
 * to be left out; such a word says little of which papers have "some of the words".
 */
const MAX_MATCHED_PAPERS = 50_000;
/**
 * The passes over the index a "some words" tier makes at most: its rarest words one at a time, the rest together in
 * the last. Each pass costs a lookup, and beyond the rarest few scifact-train gained nothing (nDCG@10 0.610 with 4
 * passes, 0.611 with one a word).
 */
const SOME_WORDS_PASSES = 4;
/** The rarest this many words are matched on even when each is that common. */
const MIN_MATCHED_WORDS = 2;

/**
 * The clauses a "some words" tier matches on, rarest first (by `papers`, one a clause; ties in their order): those
 * whose estimated papers are at most `max`, and at least the MIN_MATCHED_WORDS rarest.
 */
export function matchedClauses<T>(clauses: T[], papers: number[], max = MAX_MATCHED_PAPERS): T[] {
  const rarestFirst = clauses.map((_, i) => i).sort((a, b) => papers[a]! - papers[b]! || a - b);
  return rarestFirst.filter((i, rank) => papers[i]! <= max || rank < MIN_MATCHED_WORDS).map((i) => clauses[i]!);
}

/** The full-text column's most common lexemes, as ANALYZE keeps them, with the papers each is in. */
function commonLexemes(): RawBuilder<unknown> {
  return sql`
    SELECT e.lexeme, e.frequency * GREATEST(c.reltuples, 0) AS papers
    FROM pg_stats s
    JOIN pg_class c ON c.oid = 'papers'::regclass
    CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(lexeme, frequency)
    WHERE s.schemaname = current_schema() AND s.tablename = 'papers' AND s.attname = 'search_vector'`;
}

const inTitleIndex = (c: Clause) => c.titleOnly && !c.author;
const anyOf = (clauses: Clause[]) => sql`(${sql.join(clauses.map(tsQuery), sql` || `)})`;

/** A condition that a paper has some of the clauses: those of the title by the title's own index. */
function hasSomeOf(clauses: Clause[]): RawBuilder<unknown> {
  const anywhere = clauses.filter((c) => !inTitleIndex(c));
  const inTitle = titleCondition({ all: [], any: clauses.filter(inTitleIndex) });
  const parts = inTitle ? [inTitle] : [];
  if (anywhere.length > 0) parts.push(sql`papers.search_vector @@ ${anyOf(anywhere)}`);
  return sql`(${sql.join(parts, sql` OR `)})`;
}

/**
 * What a "some words" tier matches, as selections taken in turn until enough are found: the papers with the rarest
 * word, then those with the next rarest (and none of the rarer), and so on, the last of SOME_WORDS_PASSES passes
 * taking the rest together. Taken as the index yields them, the first matches would be in the table's order (the
 * oldest papers), which BM25 would not choose.
 */
function rarestFirst(conditions: RawBuilder<unknown>[], matched: Clause[]): RawBuilder<unknown>[][] {
  const groups = [
    ...matched.slice(0, SOME_WORDS_PASSES - 1).map((c) => [c]),
    matched.slice(SOME_WORDS_PASSES - 1),
  ].filter((group) => group.length > 0);
  return groups.map((group, i) => [
    ...conditions,
    hasSomeOf(group),
    ...(i > 0 ? [sql`NOT ${hasSomeOf(groups.slice(0, i).flat())}`] : []),
  ]);
}

async function postgresMatches(db: Db, tier: Tier, scope: Scope, limit: number): Promise<SearchHit[]> {
  // What the title must have is found by the title's own index (titleCondition): matched again in the tsvector of
  // every field, a common word's whole posting list was read a second time.
  const matching = tier.all.filter((c) => !inTitleIndex(c)).map(tsQuery);
  const ranking = tier.all.map(tsQuery);
  if (tier.any.length > 0) ranking.push(anyOf(tier.any));
  const conditions = scopeConditions(scope);
  const inTitle = titleCondition({ all: tier.all, any: [] });
  if (inTitle) conditions.push(inTitle);
  if (matching.length > 0) conditions.push(sql`papers.search_vector @@ (${sql.join(matching, sql` && `)})`);
  const ranked = Math.max(inTitle ? RANKED_TITLE_MATCHES : RANKED_MATCHES, limit);
  const clauses = [...tier.all, ...tier.any];
  const frequency = await clauseFrequencies(db, clauses);
  // Matched on the rarer words, ranked by all.
  const matched = tier.any.length > 1 ? matchedClauses(tier.any, frequency.papers.slice(tier.all.length)) : tier.any;
  const selections = matched.length > 0 ? rarestFirst(conditions, matched) : [conditions];
  const select = (where: RawBuilder<unknown>[]) =>
    sql`(SELECT papers.id, papers.search_vector FROM papers WHERE ${sql.join(where, sql` AND `)} LIMIT ${ranked})`;
  const terms = clauses.flatMap((clause, i) =>
    clause.words.map((word) => ({ clause: i, word, author: clause.author === true, prefix: clause.prefix })),
  );
  const idf = frequency.papers.map((n) => Math.log(1 + (frequency.total - n + 0.5) / (n + 0.5)));
  // A prefix ("graph*") is matched lexeme by lexeme; plain words by a hash join.
  const matchesTerm = clauses.some((c) => c.prefix)
    ? sql`(entry.lexeme = terms.lexeme OR (terms.prefix AND starts_with(entry.lexeme, terms.lexeme)))`
    : sql`entry.lexeme = terms.lexeme`;
  const rows = await db.kysely.transaction().execute(async (trx) => {
    await sql.raw(`SET LOCAL work_mem = '${SEARCH_WORK_MEM}'`).execute(trx);
    // ts_rank picks the best BM25_DEPTH (it weighs fields but not how rare a word is); BM25 ranks those, from the
    // counts of each clause's lexemes by field in the paper's tsvector.
    const result = await sql<{ id: string; score: number }>`
      WITH q AS (SELECT ${sql.join(ranking, sql` && `)} AS ranking),
      matches AS MATERIALIZED (
        SELECT * FROM (${sql.join(selections.map(select), sql` UNION ALL `)}) AS found LIMIT ${ranked}),
      best AS MATERIALIZED (
        SELECT matches.id, matches.search_vector, ts_rank(${POSTGRES_WEIGHTS}, matches.search_vector, q.ranking, 1) AS first,
               length(matches.search_vector) AS length
        FROM matches, q
        ORDER BY first DESC, matches.id
        LIMIT ${Math.max(BM25_DEPTH, limit)}),
      lengths AS (SELECT best.id, best.length / NULLIF(avg(best.length) OVER (), 0) AS relative FROM best),
      terms AS (
        SELECT DISTINCT t.clause, t.prefix, lexeme
        FROM unnest(${terms.map((t) => t.clause)}::int[], ${terms.map((t) => t.word)}::text[],
                    ${terms.map((t) => t.author)}::bool[], ${terms.map((t) => t.prefix)}::bool[]) AS t(clause, word, author, prefix)
        CROSS JOIN LATERAL unnest(tsvector_to_array(
          CASE WHEN t.author THEN to_tsvector('simple', t.word)
               ELSE to_tsvector('english', t.word) || to_tsvector('simple', t.word) END)) AS lexeme),
      counts AS (
        SELECT best.id, terms.clause,
               sum(CASE label WHEN 'A' THEN ${FIELD_WEIGHTS.title}::float8 WHEN 'B' THEN ${FIELD_WEIGHTS.abstract}::float8
                              WHEN 'C' THEN ${FIELD_WEIGHTS.authors}::float8 ELSE 0 END) AS tf
        FROM best
        CROSS JOIN LATERAL unnest(best.search_vector) AS entry(lexeme, positions, labels)
        JOIN terms ON ${matchesTerm}
        CROSS JOIN LATERAL unnest(entry.labels) AS label
        GROUP BY best.id, terms.clause)
      SELECT best.id AS id, COALESCE(sum(
               (${idf}::float8[])[counts.clause + 1] * counts.tf * ${BM25_K1 + 1}::float8
               / (counts.tf + ${BM25_K1}::float8 * (1 - ${BM25_B}::float8 + ${BM25_B}::float8 * COALESCE(lengths.relative, 1)))
             ), 0) AS score
      FROM best JOIN lengths ON lengths.id = best.id LEFT JOIN counts ON counts.id = best.id
      GROUP BY best.id, best.first
      ORDER BY score DESC, best.first DESC, best.id
      LIMIT ${limit}`.execute(trx);
    return result.rows;
  });
  return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
}

/** BM25's parameters on PostgreSQL, FTS5's own. */
const BM25_K1 = 1.2;
const BM25_B = 0.75;
/**
 * How many of a tier's matches BM25 ranks on PostgreSQL (or the page's depth, when deeper): the best by ts_rank.
 * Reading a paper's lexemes costs about 0.05 ms. On scifact-train (the page 100 deep) nDCG@10 was 0.687 at 100,
 * 0.691 at 200 to 300, 0.695 at 500, against ts_rank's 0.610 alone; at 2.5M papers 500 cost 5 ms more than 100.
 */
const BM25_DEPTH = 100;
/**
 * A word PostgreSQL's statistics do not list among the most common (a thousand words: at 2.5M papers those in 2% of
 * them or more) is counted in the index, up to this many papers: each counted paper is a row read, and at 2.5M papers
 * a cap of 5,000 took the p99 of a first search to 0.9 s. A word past the cap counts as this rare.
 */
const COUNTED_PAPERS = 100;

/** How many papers each clause is in (for idf), per database and clause, kept a while: they change slowly. */
const clausePapers = new LRUCache<string, number>({ max: 20_000, ttl: 10 * 60_000 });
const tablePapers = new LRUCache<string, number>({ max: 100, ttl: 10 * 60_000 });

/**
 * The papers in the table, and in how many papers each clause is: the statistics' estimate for a common word (a
 * phrase by its rarest word), a count from the index for the rest (up to COUNTED_PAPERS), in one round trip.
 */
async function clauseFrequencies(db: Db, tierClauses: Clause[]): Promise<{ total: number; papers: number[] }> {
  // A title tier's clause counts the papers with its words anywhere, as idf does (and as the next tier reads it).
  const clauses = tierClauses.map((c) => (c.titleOnly && !c.author ? { ...c, titleOnly: false } : c));
  const keys = clauses.map((c) => `${db.location}\n${c.author ? 'author ' : ''}${tsClause(c)}`);
  const papers = keys.map((key) => clausePapers.get(key) ?? null);
  let total = tablePapers.get(db.location);
  const unknown = clauses.flatMap((clause, i) => (papers[i] === null ? [{ clause, i }] : []));
  if (unknown.length > 0 || total === undefined) {
    const wordPapers = (word: string) => sql`COALESCE((
      SELECT max(common.papers) FROM common
      WHERE common.lexeme = ANY(tsvector_to_array(to_tsvector('english', ${word}) || to_tsvector('simple', ${word})))), 0)`;
    // The count is made only for a clause the statistics do not know (COALESCE reads no further).
    const clausePapersNow = ({ clause }: { clause: Clause }) => sql`COALESCE(
      NULLIF(LEAST(${sql.join(clause.words.map(wordPapers), sql`, `)}), 0),
      (SELECT count(*) FROM (SELECT 1 FROM papers WHERE search_vector @@ ${tsQuery(clause)} LIMIT ${COUNTED_PAPERS}) AS hits))`;
    const { rows } = await sql<{ total: number; papers: number[] }>`
      WITH common AS MATERIALIZED (${commonLexemes()})
      SELECT (SELECT GREATEST(reltuples, 0)::float8 FROM pg_class WHERE oid = 'papers'::regclass) AS total,
             ARRAY[${sql.join(unknown.map(clausePapersNow), sql`, `)}]::float8[] AS papers`.execute(db.kysely);
    total = Number(rows[0]!.total);
    tablePapers.set(db.location, total);
    for (const [k, { i }] of unknown.entries()) {
      papers[i] = Number(rows[0]!.papers[k]);
      clausePapers.set(keys[i]!, papers[i]);
    }
  }
  const known = papers as number[];
  // Before the table is first analysed its size is unknown (-1, read as 0): the largest count stands in.
  return { total: Math.max(total!, ...known), papers: known };
}
