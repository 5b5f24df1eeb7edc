import { setImmediate } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import { standardScores } from '../search/fusion.js';
import { bestMatches } from '../search/best-match.js';
import { dot } from '../search/linalg.js';
import { normalize } from '../search/lsa.js';
import {
  centroidSimilarities,
  dotSparse,
  type TermCounts,
  type TermVector,
  termCounts,
  tfIdfVectors,
} from './term-vectors.js';

/**
 * "For you", learned per member at request time: a Rocchio profile of the papers a member upvoted or
 * saved (minus the ones they marked "not interested") in two spaces, the stored paper vectors and
 * sublinear tf-idf over stemmed words, plus how near each candidate comes to the single nearest liked
 * paper and a bonus for what the member follows. Nothing is trained ahead: a new signal changes the
 * profile on the next request.
 */

export type LikeSignal = 'upvoted' | 'saved';

export interface LikedPaper {
  id: string;
  title: string;
  signal: LikeSignal;
  /** The paper's stored vector (unit length), or null before it is embedded. */
  vector: Float32Array | null;
  abstract: string;
}

/** A paper marked "not interested". */
export interface DismissedPaper {
  vector: Float32Array | null;
  title: string;
  abstract: string;
}

export type FollowKind = 'author' | 'category' | 'search';

export interface FollowMatch {
  kind: FollowKind;
  /** What is followed, as the member sees it: a name, a category, a search. */
  label: string;
}

export interface CandidatePaper {
  id: string;
  vector: Float32Array | null;
  title: string;
  abstract: string;
  /** The member's follows this paper matches. */
  follows: FollowMatch[];
}

export type Reason =
  | { kind: 'like'; paperId: string; title: string; signal: LikeSignal }
  | { kind: 'follow'; follow: FollowMatch };

export interface Recommendation {
  id: string;
  score: number;
  reason: Reason;
}

/**
 * The mix, in standard scores over the candidates, chosen on csfcube-dev (eval/recommendations.ts): the
 * vector and word profiles weigh alike, the nearest single liked paper adds specificity (a member with
 * two interests is not averaged into neither). A follow adds a fixed lift: a paper by a followed
 * author that resembles the likes no more than the average candidate lands in about the top 5%.
 */
export interface Weights {
  vectorProfile: number;
  lexicalProfile: number;
  nearestLiked: number;
  dismissed: number;
  follow: Record<FollowKind, number>;
}

export const WEIGHTS: Weights = {
  vectorProfile: 1,
  lexicalProfile: 1,
  nearestLiked: 0.5,
  dismissed: 0.5,
  follow: { author: 3, search: 2, category: 0.5 },
};

/** The newest likes (and dismissals) the word profile is read from. */
const WORD_PROFILE_PAPERS = 40;

/**
 * Term counts of recently ranked papers, keyed by their text (an edited paper is read afresh). A member's
 * likes and candidates recur from request to request, and stemming their words is what costs most.
 * Bounded: a paper's counts take some 3 KB.
 */
const recentCounts = new LRUCache<string, TermCounts>({ max: 10_000 });

function cachedTermCounts(paper: { title: string; abstract: string }): TermCounts {
  const key = `${paper.title}\n${paper.abstract}`;
  let counts = recentCounts.get(key);
  if (!counts) {
    counts = termCounts(paper);
    recentCounts.set(key, counts);
  }
  return counts;
}

/** How long ranking runs before it gives the event loop a turn (a request that ranks never holds up others). */
const SLICE_MS = 20;

/** A function to call between units of work: it yields to the event loop once SLICE_MS has passed. */
function pauser(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await setImmediate();
    since = performance.now();
  };
}

/** The unit mean of dense vectors, or null when there are none. */
export function vectorCentroid(vectors: (Float32Array | null)[]): Float32Array | null {
  const present = vectors.filter((v): v is Float32Array => v !== null);
  if (present.length === 0) return null;
  const sum = new Float32Array(present[0]!.length);
  for (const vector of present) for (let j = 0; j < sum.length; j++) sum[j]! += vector[j]!;
  return normalize(sum);
}

const FOLLOW_ORDER: FollowKind[] = ['author', 'search', 'category'];

/**
 * Scores candidates for a member, best first, each with its reason. Asynchronous only to give the event
 * loop a turn every SLICE_MS: the work is bounded by the caller's candidate count.
 */
export async function rankCandidates(
  member: { liked: LikedPaper[]; dismissed: DismissedPaper[] },
  candidates: CandidatePaper[],
  weights: Weights = WEIGHTS,
): Promise<Recommendation[]> {
  const { liked, dismissed } = member;
  const pause = pauser();
  // Reading words costs most here: the word profile comes from the newest likes and dismissals only.
  const wordsOf = [...liked.slice(0, WORD_PROFILE_PAPERS), ...dismissed.slice(0, WORD_PROFILE_PAPERS)];
  const counts: TermCounts[] = [];
  for (const paper of [...wordsOf, ...candidates]) {
    counts.push(cachedTermCounts(paper));
    await pause();
  }
  const terms = tfIdfVectors(counts);
  const likedCount = Math.min(liked.length, WORD_PROFILE_PAPERS);
  const likedTerms = terms.slice(0, likedCount);
  const dismissedTerms = terms.slice(likedCount, wordsOf.length);
  const candidateTerms = terms.slice(wordsOf.length);
  const lexicalProfile = centroidSimilarities(likedTerms, candidateTerms);
  const lexicalNegative = centroidSimilarities(dismissedTerms, candidateTerms);
  const vectorProfile = vectorCentroid(liked.map((p) => p.vector));
  const vectorNegative = vectorCentroid(dismissed.map((p) => p.vector));
  const nearestLiked = nearestLikes(candidates, candidateTerms, sideBySide(liked.map((p) => p.vector)), likedTerms);

  // Each measure per candidate; they are standardised over the candidates before they are mixed, so a
  // weight means the same whatever the spread of a measure (cosines of words run lower than of vectors).
  const features: {
    vectorProfile: number;
    lexicalProfile: number;
    nearestLiked: number;
    dismissed: number;
    nearest: number;
  }[] = [];
  for (const [i, candidate] of candidates.entries()) {
    const vector = candidate.vector;
    features.push({
      vectorProfile: vector && vectorProfile ? dot(vector, vectorProfile) : 0,
      lexicalProfile: lexicalProfile[i]!,
      nearestLiked: nearestLiked.similarity[i]!,
      dismissed: (vector && vectorNegative ? dot(vector, vectorNegative) : 0) + lexicalNegative[i]!,
      nearest: nearestLiked.nearest[i]!,
    });
    await pause();
  }
  const vectorScores = standardScores(features.map((f) => f.vectorProfile));
  const lexicalScores = standardScores(features.map((f) => f.lexicalProfile));
  const nearestScores = standardScores(features.map((f) => f.nearestLiked));
  const dismissedScores = standardScores(features.map((f) => f.dismissed));
  return candidates
    .flatMap((candidate, i) => {
      let score =
        weights.vectorProfile * vectorScores[i]! +
        weights.lexicalProfile * lexicalScores[i]! +
        weights.nearestLiked * nearestScores[i]! -
        weights.dismissed * dismissedScores[i]!;
      for (const follow of candidate.follows) score += weights.follow[follow.kind];
      const nearest = features[i]!.nearest;
      const reason = reasonFor(candidate, nearest >= 0 ? liked[nearest]! : null);
      return reason ? [{ id: candidate.id, score, reason }] : [];
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/** Dense vectors in one array, row after row (a comparison with each is then one pass over memory); null rows are absent. */
interface VectorRows {
  matrix: Float32Array;
  dimensions: number;
  /** Per position in the input, its row in the matrix, or -1 when it had no vector. */
  rowOf: Int32Array;
  /** Per row, its position in the input. */
  positionOf: Int32Array;
}

function sideBySide(vectors: (Float32Array | null)[]): VectorRows {
  const dimensions = vectors.find((v) => v !== null)?.length ?? 0;
  const rowOf = new Int32Array(vectors.length).fill(-1);
  const matrix = new Float32Array(vectors.filter((v) => v !== null).length * dimensions);
  const positionOf = new Int32Array(matrix.length / Math.max(dimensions, 1));
  let rows = 0;
  vectors.forEach((vector, i) => {
    if (!vector) return;
    matrix.set(vector, rows * dimensions);
    positionOf[rows] = i;
    rowOf[i] = rows++;
  });
  return { matrix, dimensions, rowOf, positionOf };
}

/**
 * Per candidate, the liked paper it comes nearest to (its position among the likes, or -1) and how near:
 * by vectors, one native search of every candidate against every liked paper (bestMatches: a dot product
 * per pair, candidates × likes, was the largest part of a request in JavaScript); by words only where one
 * of the two has no vector, and then only for the likes whose words were read.
 */
function nearestLikes(
  candidates: CandidatePaper[],
  words: TermVector[],
  liked: VectorRows,
  likedWords: TermVector[],
): { nearest: Int32Array; similarity: Float64Array } {
  const { matrix, dimensions, rowOf, positionOf } = liked;
  const nearest = new Int32Array(candidates.length).fill(-1);
  const similarity = new Float64Array(candidates.length);
  // A vector of another model (read across a model switch) is compared by words, as one without a vector.
  const hasVector = candidates.map((c) => dimensions > 0 && c.vector?.length === dimensions);
  const withVector = hasVector.flatMap((has, i) => (has ? [i] : []));
  const queries = new Float32Array(withVector.length * dimensions);
  withVector.forEach((i, k) => {
    queries.set(candidates[i]!.vector!, k * dimensions);
  });
  const byVector = bestMatches(matrix, queries, dimensions);
  withVector.forEach((i, k) => {
    const row = byVector.row[k]!;
    if (row < 0) return;
    nearest[i] = positionOf[row]!;
    similarity[i] = byVector.similarity[k]!;
  });
  candidates.forEach((_, i) => {
    for (let j = 0; j < likedWords.length; j++) {
      if (hasVector[i] && rowOf[j]! >= 0) continue;
      const byWords = dotSparse(words[i]!, likedWords[j]!);
      if (nearest[i]! < 0 || byWords > similarity[i]!) {
        nearest[i] = j;
        similarity[i] = byWords;
      }
    }
  });
  return { nearest, similarity };
}

/**
 * A followed author or search says most; then the liked paper it resembles; then a followed category.
 * None for a paper nothing of the member's leads to (it is not recommended).
 */
function reasonFor(candidate: CandidatePaper, nearest: LikedPaper | null): Reason | null {
  const follows = [...candidate.follows].sort((a, b) => FOLLOW_ORDER.indexOf(a.kind) - FOLLOW_ORDER.indexOf(b.kind));
  const strongest = follows[0];
  if (strongest && (strongest.kind !== 'category' || !nearest)) return { kind: 'follow', follow: strongest };
  if (nearest) return { kind: 'like', paperId: nearest.id, title: nearest.title, signal: nearest.signal };
  return strongest ? { kind: 'follow', follow: strongest } : null;
}
