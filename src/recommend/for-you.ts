import { LRUCache } from 'lru-cache';
import type { Db } from '../db/connection.js';
import { SearchModeUnavailable } from '../search/errors.js';
import { dot } from '../search/linalg.js';
import { searchLexical } from '../search/lexical.js';
import { nearestPapers } from '../search/semantic.js';
import type { SearchContext, SearchFilters, SearchHit } from '../search/types.js';
import { newestPapersOf } from '../store/authors.js';
import { activeEmbeddingModel, vectorsOfPapers } from '../store/embeddings.js';
import { listFollows, type Follow } from '../store/follows.js';
import { dismissedPapers, likedPapers, papersDealtWith } from '../store/member-signals.js';
import { nameKey } from '../store/paper-text.js';
import { listFeatured } from '../store/papers.js';
import {
  rankCandidates,
  type CandidatePaper,
  type DismissedPaper,
  type FollowMatch,
  type LikedPaper,
  type Recommendation,
  vectorCentroid,
  WEIGHTS,
  type Weights,
} from './profile.js';

/** The signals a request reads at most: the newest 200 likes and 100 "not interested" marks. */
const MAX_LIKED = 200;
const MAX_DISMISSED = 100;
/** Liked papers whose own neighbours are candidates (the newest), and how many neighbours each. */
const NEIGHBOURS_OF = 20;
const NEIGHBOURS_EACH = 20;
/** Neighbours of the whole profile, and papers per followed author, category or search. */
const PROFILE_NEIGHBOURS = 200;
const PER_FOLLOW = 30;

export interface MemberTaste {
  liked: LikedPaper[];
  dismissed: DismissedPaper[];
  follows: Follow[];
}

export interface ForYouRequest {
  limit: number;
  from?: string;
  to?: string;
}

export interface ForYou {
  /** learned: ranked from the member's signals; trending: they have none yet (or none that finds a paper). */
  basis: 'learned' | 'trending';
  items: (Recommendation | { id: string; score: number; reason: null })[];
}

/** What a member's upvotes, saves, "not interested" marks and follows are, with the stored vector of each paper. */
export async function memberTaste(ctx: Pick<SearchContext, 'db'>, userId: string): Promise<MemberTaste> {
  const { db } = ctx;
  const [liked, dismissed, follows, model] = await Promise.all([
    likedPapers(db, userId, MAX_LIKED),
    dismissedPapers(db, userId, MAX_DISMISSED),
    listFollows(db, userId),
    activeEmbeddingModel(db),
  ]);
  const vectors = model
    ? await vectorsOfPapers(
        db,
        model.id,
        [...liked, ...dismissed].map((p) => p.id),
      )
    : new Map<string, { vector: Float32Array }>();
  return {
    liked: liked.map((p) => ({
      id: p.id,
      title: p.title,
      signal: p.signal,
      vector: vectors.get(p.id)?.vector ?? null,
      abstract: p.abstract,
    })),
    dismissed: dismissed.map((p) => ({
      vector: vectors.get(p.id)?.vector ?? null,
      title: p.title,
      abstract: p.abstract,
    })),
    follows,
  };
}

/**
 * Ranks these papers for a member: what the eval scores, and the last step of recommendFor. Papers
 * the member has dealt with are ranked too (the caller leaves them out).
 */
export async function rankPapersFor(
  ctx: Pick<SearchContext, 'db'>,
  taste: MemberTaste,
  paperIds: string[],
  searchMatches: Map<string, string[]> = new Map(),
  weights: Weights = WEIGHTS,
): Promise<Recommendation[]> {
  if (paperIds.length === 0) return [];
  return rankKnownPapers(taste, await readPapersToRank(ctx.db, paperIds), searchMatches, weights);
}

/** A paper as ranking reads it. */
export interface PaperToRank {
  id: string;
  title: string;
  abstract: string;
  authorNames: string[];
  categories: string[];
  vector: Float32Array | null;
}

/** The visible papers of these ids as ranking reads them, with their stored vectors (unless the caller has them). */
export async function readPapersToRank(
  db: Db,
  paperIds: string[],
  knownVectors?: ReadonlyMap<string, { vector: Float32Array | null }>,
): Promise<PaperToRank[]> {
  if (paperIds.length === 0) return [];
  const model = knownVectors ? null : await activeEmbeddingModel(db);
  const [rows, vectors] = await Promise.all([
    db.kysely
      .selectFrom('papers')
      .select(['id', 'title', 'abstract', 'authors', 'categories'])
      .where('id', 'in', paperIds)
      .where('hidden', '=', 0)
      .execute(),
    knownVectors ?? (model ? vectorsOfPapers(db, model.id, paperIds) : new Map<string, { vector: Float32Array }>()),
  ]);
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authorNames: (JSON.parse(row.authors) as { name: string }[]).map((a) => a.name),
    categories: JSON.parse(row.categories) as string[],
    vector: vectors.get(row.id)?.vector ?? null,
  }));
}

function rankKnownPapers(
  taste: MemberTaste,
  papers: readonly PaperToRank[],
  searchMatches: Map<string, string[]>,
  weights: Weights = WEIGHTS,
): Promise<Recommendation[]> {
  const followed = (kind: Follow['kind']) =>
    new Map(taste.follows.filter((f) => f.kind === kind).map((f) => [f.target, f]));
  const authors = followed('author');
  const categories = followed('category');
  const candidates: CandidatePaper[] = papers.map((paper) => {
    const follows: FollowMatch[] = [];
    for (const name of paper.authorNames) if (authors.has(nameKey(name))) follows.push({ kind: 'author', label: name });
    for (const category of paper.categories)
      if (categories.has(category)) follows.push({ kind: 'category', label: category });
    for (const search of searchMatches.get(paper.id) ?? []) follows.push({ kind: 'search', label: search });
    return { id: paper.id, vector: paper.vector, title: paper.title, abstract: paper.abstract, follows };
  });
  return rankCandidates(taste, candidates, weights);
}

/** The most papers ranked in full (reading their words); the rest are cut by vector resemblance first. */
const RANKED_IN_FULL = 150;
/** Of the papers follows brought, the most ranked in full (those nearest the profile). */
const FOLLOWED_IN_FULL = 60;

/**
 * The candidates worth ranking in full: all of them when few, else the RANKED_IN_FULL nearest the
 * profile's vector, plus the FOLLOWED_IN_FULL nearest of those a follow brought (a follow lifts a paper
 * whatever it resembles, so they are not made to compete with the rest).
 */
async function nearestToProfile(
  ctx: Pick<SearchContext, 'db'>,
  profile: Float32Array | null,
  ids: string[],
  followed: ReadonlySet<string>,
  knownVectors?: ReadonlyMap<string, { vector: Float32Array | null }>,
): Promise<string[]> {
  if (!profile || ids.length <= RANKED_IN_FULL) return ids;
  const model = knownVectors ? null : await activeEmbeddingModel(ctx.db);
  if (!(model || knownVectors)) return ids;
  const vectors = knownVectors ?? (await vectorsOfPapers(ctx.db, model!.id, ids));
  // Each dot product once, not once per comparison of the sort.
  const similarity = new Map(
    ids.map((id) => {
      const vector = vectors.get(id)?.vector;
      return [id, vector ? dot(vector, profile) : Number.NEGATIVE_INFINITY];
    }),
  );
  const byResemblance = [...ids].sort((a, b) => similarity.get(b)! - similarity.get(a)!);
  return [
    ...byResemblance.filter((id) => !followed.has(id)).slice(0, RANKED_IN_FULL),
    ...byResemblance.filter((id) => followed.has(id)).slice(0, FOLLOWED_IN_FULL),
  ];
}

/** Papers a caller has chosen already (a digest's period), best first, and what of them the member's follows bring. */
export interface CandidatePool {
  ids: string[];
  /** The papers a follow of the member's brings. */
  followed: ReadonlySet<string>;
  /** The followed searches each paper matches. */
  searchMatches: Map<string, string[]>;
  /** Every paper of the pool as ranking reads it, read once by the caller for many members. */
  papers: ReadonlyMap<string, PaperToRank>;
}

/** Whether anything of the member's can lead to a paper: an upvote, a save or a follow. */
export function hasSignals(taste: MemberTaste): boolean {
  return taste.liked.length > 0 || taste.follows.length > 0;
}

/**
 * A member's recommendations among the pool's papers only, cut and ranked as recommendFor's are but
 * without its candidate searches, so the cost follows the pool, not the corpus. Nothing for a member
 * with no signals (never trending instead), and only papers a like or a follow leads to.
 */
export async function recommendAmong(
  ctx: Pick<SearchContext, 'db'>,
  userId: string,
  taste: MemberTaste,
  pool: CandidatePool,
  limit: number,
): Promise<Recommendation[]> {
  if (!hasSignals(taste)) return [];
  const dealt = await papersDealtWith(ctx.db, userId, pool.ids);
  const liked = taste.liked.length > 0;
  const fresh = pool.ids.filter((id) => !dealt.has(id) && (liked || pool.followed.has(id)));
  const profile = vectorCentroid(taste.liked.map((p) => p.vector));
  // With no vector to cut by, the first papers of the pool (its best) are ranked in full.
  const cut = profile
    ? await nearestToProfile(ctx, profile, fresh, pool.followed, pool.papers)
    : fresh.slice(0, RANKED_IN_FULL + FOLLOWED_IN_FULL);
  const papers = cut.flatMap((id) => pool.papers.get(id) ?? []);
  return (await rankKnownPapers(taste, papers, pool.searchMatches)).slice(0, limit);
}

/** Vector neighbours, or none while the index is not ready (a page never waits for it). */
async function neighbours(ctx: SearchContext, vector: Float32Array, filters: SearchFilters, limit: number) {
  try {
    return await nearestPapers(ctx, vector, { filters, limit, waitForIndex: false });
  } catch (error) {
    if (error instanceof SearchModeUnavailable) return [];
    throw error;
  }
}

/**
 * The neighbours of single liked papers, kept between requests: they do not depend on the member, and a
 * member's newest likes recur from request to request (on the 97k corpus each ANN search takes a few ms).
 * Keyed by the model's revision, so any vector stored since (a new paper) makes every entry stale.
 */
const likedNeighbours = new LRUCache<string, SearchHit[]>({ max: 20_000 });

async function neighboursOfLiked(
  ctx: SearchContext,
  paper: { id: string; vector: Float32Array },
  model: { id: string; revision: number },
  filters: SearchFilters,
): Promise<SearchHit[]> {
  const key = JSON.stringify([model.id, model.revision, paper.id, filters.from ?? null, filters.to ?? null]);
  const known = likedNeighbours.get(key);
  if (known) return known;
  const hits = await neighbours(ctx, paper.vector, filters, NEIGHBOURS_EACH);
  // An empty answer may only mean the index is not ready yet: asked again next time.
  if (hits.length > 0) likedNeighbours.set(key, hits);
  return hits;
}

/**
 * What follows bring (a followed search's matches, the newest papers of followed authors and categories),
 * kept between requests: it does not depend on the member's likes, and a member's follows recur from
 * request to request (on the 97k corpus a followed search costs as much as the rest of the candidates).
 * Keyed by the model's revision, bumped as new papers are embedded, and at most two minutes old, so a
 * paper ingested since is found soon after; a new follow is a new key, found on the next request.
 */
const followedPapers = new LRUCache<string, { id: string }[]>({ max: 5_000, ttl: 2 * 60_000 });

async function papersFollowed<T extends { id: string }>(
  model: { id: string; revision: number } | null,
  what: unknown[],
  find: () => Promise<T[]>,
): Promise<{ id: string }[]> {
  const key = model ? JSON.stringify([model.id, model.revision, ...what]) : null;
  const known = key === null ? undefined : followedPapers.get(key);
  if (known) return known;
  const papers = (await find()).map(({ id }) => ({ id }));
  if (key !== null) followedPapers.set(key, papers);
  return papers;
}

/**
 * A member's recommendations: candidates from the vector neighbours of their profile and of their
 * newest liked papers, the newest papers of followed authors and categories, and matches of followed
 * searches; ranked by their taste (profile.ts), leaving out what they upvoted, saved or dismissed.
 * Every bound is fixed, so a member with thousands of signals costs what one with 200 does.
 */
export async function recommendFor(ctx: SearchContext, userId: string, request: ForYouRequest): Promise<ForYou> {
  const { db } = ctx;
  const taste = await memberTaste(ctx, userId);
  const filters: SearchFilters = { from: request.from, to: request.to };
  const searchMatches = new Map<string, string[]>();
  const candidateIds = new Set<string>();
  const profile = vectorCentroid(taste.liked.map((p) => p.vector));
  const model = await activeEmbeddingModel(db);
  const lists = await Promise.all([
    profile ? neighbours(ctx, profile, filters, PROFILE_NEIGHBOURS) : [],
    ...Array.from({ length: NEIGHBOURS_OF }, (_, i) => {
      const liked = taste.liked[i];
      return liked?.vector && model
        ? neighboursOfLiked(ctx, { id: liked.id, vector: liked.vector }, model, filters)
        : [];
    }),
    ...taste.follows
      .filter((f) => f.kind !== 'search')
      .map((f) =>
        papersFollowed(model, [f.kind, f.target, filters.from, filters.to], () =>
          newestPapersOf(
            db,
            { authorKeys: f.kind === 'author' ? [f.target] : [], categories: f.kind === 'category' ? [f.target] : [] },
            filters,
            PER_FOLLOW,
          ),
        ),
      ),
    ...taste.follows
      .filter((f) => f.kind === 'search')
      .map(async (f) => {
        const hits = await papersFollowed(model, [f.kind, f.target, filters.from, filters.to], () =>
          searchLexical(db, { text: f.target, filters, limit: PER_FOLLOW }),
        );
        for (const hit of hits) searchMatches.set(hit.id, [...(searchMatches.get(hit.id) ?? []), f.target]);
        return hits;
      }),
  ]);
  for (const list of lists) for (const hit of list) candidateIds.add(hit.id);
  const dealt = await papersDealtWith(db, userId, [...candidateIds]);
  const followed = new Set(lists.slice(1 + NEIGHBOURS_OF).flatMap((list) => list.map((hit) => hit.id)));
  const fresh = [...candidateIds].filter((id) => !dealt.has(id));
  // Read once: the cut compares every candidate's vector with the profile, ranking the kept ones again.
  const vectors = model ? await vectorsOfPapers(db, model.id, fresh) : new Map<string, { vector: Float32Array }>();
  const cut = await nearestToProfile(ctx, profile, fresh, followed, vectors);
  const ranked = await rankKnownPapers(taste, await readPapersToRank(db, cut, vectors), searchMatches);
  if (ranked.length > 0) return { basis: 'learned', items: ranked.slice(0, request.limit) };
  const trending = await listFeatured(db, { sort: 'trending', limit: request.limit + 50 });
  const unseen = await papersDealtWith(
    db,
    userId,
    trending.map((p) => p.id),
  );
  return {
    basis: 'trending',
    items: trending
      .filter((p) => !unseen.has(p.id) && inRange(p.publishedOn, request))
      .slice(0, request.limit)
      .map((p) => ({ id: p.id, score: p.trendingScore, reason: null })),
  };
}

function inRange(day: string | null, range: { from?: string; to?: string }): boolean {
  if (!range.from && !range.to) return true;
  if (!day) return false;
  return (!range.from || day >= range.from) && (!range.to || day <= range.to);
}
