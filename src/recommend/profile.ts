import { setImmediate } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import { dot } from '../search/linalg.js';
import { analyze, normalize } from '../search/lsa.js';

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

type TermVector = Map<string, number>;

/** The newest likes (and dismissals) the word profile is read from. */
const WORD_PROFILE_PAPERS = 40;

/** A title says what a paper is about more densely than its abstract: its words count this many times. */
const TITLE_WEIGHT = 2;

/** Counts of a paper's stemmed words and of its pairs of adjacent words. */
function termCounts(paper: { title: string; abstract: string }): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (terms: string[], weight: number) => {
    terms.forEach((term, i) => {
      counts.set(term, (counts.get(term) ?? 0) + weight);
      if (i > 0) {
        const pair = `${terms[i - 1]} ${term}`;
        counts.set(pair, (counts.get(pair) ?? 0) + weight);
      }
    });
  };
  add(analyze(paper.title), TITLE_WEIGHT);
  add(analyze(paper.abstract), 1);
  return counts;
}

/**
 * Term counts of recently ranked papers, keyed by their text (an edited paper is read afresh). A member's
 * likes and candidates recur from request to request, and stemming their words is what costs most.
 * Bounded: a paper's counts take some 20 KB.
 */
const recentCounts = new LRUCache<string, Map<string, number>>({ max: 4000 });

function cachedTermCounts(paper: { title: string; abstract: string }): Map<string, number> {
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

/** Sublinear tf × idf, L2-normalised; idf over the documents at hand (liked, dismissed and candidates). */
async function tfIdfVectors(documents: Map<string, number>[], pause: () => Promise<void>): Promise<TermVector[]> {
  const frequency = new Map<string, number>();
  for (const counts of documents) {
    for (const term of counts.keys()) frequency.set(term, (frequency.get(term) ?? 0) + 1);
    await pause();
  }
  const n = documents.length;
  const vectors: TermVector[] = [];
  for (const counts of documents) {
    const vector: TermVector = new Map();
    let norm = 0;
    for (const [term, count] of counts) {
      const weight = (1 + Math.log(count)) * (Math.log((n + 1) / (frequency.get(term)! + 1)) + 1);
      vector.set(term, weight);
      norm += weight * weight;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const [term, weight] of vector) vector.set(term, weight * scale);
    vectors.push(vector);
    await pause();
  }
  return vectors;
}

function termDot(a: TermVector, b: TermVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [term, weight] of small) sum += weight * (large.get(term) ?? 0);
  return sum;
}

/** The unit mean of term vectors (a Rocchio centroid). */
function termCentroid(vectors: TermVector[]): TermVector {
  const sum: TermVector = new Map();
  for (const vector of vectors) for (const [term, weight] of vector) sum.set(term, (sum.get(term) ?? 0) + weight);
  let norm = 0;
  for (const weight of sum.values()) norm += weight * weight;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (const [term, weight] of sum) sum.set(term, weight * scale);
  return sum;
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
  const counts: Map<string, number>[] = [];
  for (const paper of [...wordsOf, ...candidates]) {
    counts.push(cachedTermCounts(paper));
    await pause();
  }
  const terms = await tfIdfVectors(counts, pause);
  const likedCount = Math.min(liked.length, WORD_PROFILE_PAPERS);
  const likedTerms = terms.slice(0, likedCount);
  const dismissedTerms = terms.slice(likedCount, wordsOf.length);
  const candidateTerms = terms.slice(wordsOf.length);
  const lexicalProfile = termCentroid(likedTerms);
  const lexicalNegative = termCentroid(dismissedTerms);
  const vectorProfile = vectorCentroid(liked.map((p) => p.vector));
  const vectorNegative = vectorCentroid(dismissed.map((p) => p.vector));

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
    const words = candidateTerms[i]!;
    const vector = candidate.vector;
    let nearest = -1;
    let nearestSimilarity = 0;
    liked.forEach((paper, j) => {
      if (!(vector && paper.vector) && j >= likedCount) return;
      // By vectors: a dot product of two short arrays, where words would cost a map walk per pair
      // (candidates × likes of them); by words only for a paper without a vector.
      const similarity = vector && paper.vector ? dot(vector, paper.vector) : termDot(words, likedTerms[j]!);
      if (nearest < 0 || similarity > nearestSimilarity) {
        nearestSimilarity = similarity;
        nearest = j;
      }
    });
    features.push({
      vectorProfile: vector && vectorProfile ? dot(vector, vectorProfile) : 0,
      lexicalProfile: termDot(words, lexicalProfile),
      nearestLiked: nearestSimilarity,
      dismissed: (vector && vectorNegative ? dot(vector, vectorNegative) : 0) + termDot(words, lexicalNegative),
      nearest,
    });
    await pause();
  }
  const vectorScores = standardised(features.map((f) => f.vectorProfile));
  const lexicalScores = standardised(features.map((f) => f.lexicalProfile));
  const nearestScores = standardised(features.map((f) => f.nearestLiked));
  const dismissedScores = standardised(features.map((f) => f.dismissed));
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

/** Values as standard scores (0 mean, unit spread); all zero when they do not vary. */
function standardised(values: number[]): Float64Array {
  const mean = values.reduce((sum, x) => sum + x, 0) / (values.length || 1);
  const spread = Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length || 1));
  return Float64Array.from(values, (x) => (spread > 0 ? (x - mean) / spread : 0));
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
