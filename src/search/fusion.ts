import type { SearchHit } from './types.js';

/** One ranked list to fuse and how much it counts. */
export interface RankedList {
  hits: SearchHit[];
  weight: number;
}

/**
 * Reciprocal rank fusion (Cormack et al. 2009): each list adds weight / (k + rank) for every paper
 * it ranks. Only ranks matter, so lists with incomparable scores (BM25, cosine) fuse without tuning
 * a scale; k damps the difference between the very top ranks. Ties: the earlier list's order.
 */
export function reciprocalRankFusion(lists: RankedList[], k = 60): SearchHit[] {
  const scores = new Map<string, number>();
  for (const { hits, weight } of lists) {
    for (const [rank, hit] of hits.entries()) scores.set(hit.id, (scores.get(hit.id) ?? 0) + weight / (k + rank + 1));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

/**
 * A weighted sum of scores scaled to [0, 1] within each list (min–max); a paper a list does not
 * rank gets 0 from it.
 */
export function weightedScoreFusion(lists: RankedList[]): SearchHit[] {
  const scores = new Map<string, number>();
  for (const { hits, weight } of lists) {
    if (hits.length === 0) continue;
    const max = Math.max(...hits.map((h) => h.score));
    const min = Math.min(...hits.map((h) => h.score));
    const span = max - min || 1;
    for (const hit of hits) scores.set(hit.id, (scores.get(hit.id) ?? 0) + (weight * (hit.score - min)) / span);
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

/** Scores scaled to [0, 1] by the list's own minimum and maximum. */
function minMax(scores: Map<string, number>): Map<string, number> {
  const values = [...scores.values()];
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  return new Map([...scores].map(([id, score]) => [id, (score - min) / span]));
}

/**
 * Lexical hits scaled by the best one (score / max, so even the weakest keeps a positive score)
 * or, should a ranking give no positive scores, by rank.
 */
function scaledByBest(hits: SearchHit[]): Map<string, number> {
  const max = Math.max(...hits.map((h) => h.score));
  if (max > 0) return new Map(hits.map((h) => [h.id, Math.max(0, h.score) / max]));
  return new Map(hits.map((h, rank) => [h.id, 1 - rank / hits.length]));
}

/**
 * A weighted sum over every candidate: its lexical score scaled by the best (0 when the lexical
 * ranking missed it) plus `semanticWeight` × its semantic similarity min–max scaled over the
 * candidates. Unlike fusing two top-k lists, every candidate has its real similarity, and a
 * paper the lexical ranking found keeps credit for it however low it ranked.
 */
export function scoreFusion(lexical: SearchHit[], semantic: Map<string, number>, semanticWeight: number): SearchHit[] {
  const lexicalScores = lexical.length > 0 ? scaledByBest(lexical) : new Map<string, number>();
  const semanticScores = semantic.size > 0 ? minMax(semantic) : new Map<string, number>();
  const ids = new Set([...lexicalScores.keys(), ...semanticScores.keys()]);
  return [...ids]
    .map((id) => ({ id, score: (lexicalScores.get(id) ?? 0) + semanticWeight * (semanticScores.get(id) ?? 0) }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

/** Values as standard scores (0 mean, unit spread), so measures of different spreads can be weighed together; all zero when they do not vary. */
export function standardScores(values: readonly number[]): Float64Array {
  const mean = values.reduce((sum, x) => sum + x, 0) / (values.length || 1);
  const spread = Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length || 1));
  return Float64Array.from(values, (x) => (spread > 0 ? (x - mean) / spread : 0));
}
