import { fnv1a } from '../search/fnv.js';
import { analyze } from '../search/lsa.js';

/**
 * Sparse tf-idf vectors for ranking, in typed arrays rather than maps of strings: each stemmed word and
 * pair of adjacent words is hashed to one of 2^20 columns (feature hashing, as scikit-learn's
 * HashingVectorizer), so a paper's counts are two small arrays kept between requests, and idf, centroids
 * and dot products are loops over integers. A collision merges two terms' counts; with some 300 terms a
 * paper and 2^20 columns, few do.
 */
const COLUMN_BITS = 20;
export const COLUMNS = 1 << COLUMN_BITS;

/** A paper's hashed terms (ascending, distinct) and the sublinear weight of each: 1 + ln(count). */
export interface TermCounts {
  columns: Uint32Array;
  tf: Float32Array;
}

/** A tf-idf vector over the same columns, L2-normalised. */
export interface TermVector {
  columns: Uint32Array;
  weights: Float32Array;
}

/** A title says what a paper is about more densely than its abstract: its words count this many times. */
const TITLE_WEIGHT = 2;

/** FNV-1a of the term's UTF-16 code units, folded to a column. */
function columnOf(term: string): number {
  const hash = fnv1a(term);
  return (hash ^ (hash >>> COLUMN_BITS)) & (COLUMNS - 1);
}

/** Counts of a paper's stemmed words and of its pairs of adjacent words, title words counted twice. */
export function termCounts(paper: { title: string; abstract: string }): TermCounts {
  const counts = new Map<number, number>();
  const add = (terms: string[], weight: number) => {
    terms.forEach((term, i) => {
      const column = columnOf(term);
      counts.set(column, (counts.get(column) ?? 0) + weight);
      if (i > 0) {
        const pair = columnOf(`${terms[i - 1]} ${term}`);
        counts.set(pair, (counts.get(pair) ?? 0) + weight);
      }
    });
  };
  add(analyze(paper.title), TITLE_WEIGHT);
  add(analyze(paper.abstract), 1);
  const columns = Uint32Array.from(counts.keys()).sort();
  return { columns, tf: Float32Array.from(columns, (c) => 1 + Math.log(counts.get(c)!)) };
}

// Scratch columns, zero between calls: each function that uses one runs to its end without yielding,
// so no two requests ever share one mid-use, and none allocates 4 MB per call.
const frequencyScratch = new Uint32Array(COLUMNS);
const centroidScratch = new Float32Array(COLUMNS);

/**
 * Sublinear tf × smoothed idf, L2-normalised, with idf over the documents at hand (a member's likes and
 * the candidates): what sets papers apart among those being ranked, not across the whole corpus.
 */
export function tfIdfVectors(documents: TermCounts[]): TermVector[] {
  const frequency = frequencyScratch;
  for (const { columns } of documents) for (const column of columns) frequency[column]!++;
  const n = documents.length;
  // A column's idf depends only on how many documents have it: one logarithm per count, not per term.
  const idfOf = Float64Array.from({ length: n + 1 }, (_, count) => Math.log((n + 1) / (count + 1)) + 1);
  const vectors = documents.map(({ columns, tf }) => {
    const weights = new Float32Array(columns.length);
    let norm = 0;
    for (let k = 0; k < columns.length; k++) {
      const weight = tf[k]! * idfOf[frequency[columns[k]!]!]!;
      weights[k] = weight;
      norm += weight * weight;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < weights.length; k++) weights[k]! *= scale;
    return { columns, weights };
  });
  for (const { columns } of documents) for (const column of columns) frequency[column] = 0;
  return vectors;
}

/**
 * The cosine of each of `targets` with the unit mean of `vectors` (a Rocchio centroid); all zero when
 * there are no vectors. The centroid is laid out densely, so each target costs a lookup per term.
 */
export function centroidSimilarities(vectors: TermVector[], targets: TermVector[]): Float64Array {
  const sum = centroidScratch;
  const touched: number[] = [];
  for (const { columns, weights } of vectors)
    for (let k = 0; k < columns.length; k++) {
      // Weights are positive: a column still zero has not been added to yet.
      if (sum[columns[k]!] === 0) touched.push(columns[k]!);
      sum[columns[k]!]! += weights[k]!;
    }
  let norm = 0;
  for (const column of touched) norm += sum[column]! ** 2;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const similarities = Float64Array.from(targets, ({ columns, weights }) => {
    let dot = 0;
    for (let k = 0; k < columns.length; k++) dot += weights[k]! * sum[columns[k]!]!;
    return dot * scale;
  });
  for (const column of touched) sum[column] = 0;
  return similarities;
}

/** The dot product of two sparse vectors (a merge of their ascending columns). */
export function dotSparse(a: TermVector, b: TermVector): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  while (i < a.columns.length && j < b.columns.length) {
    const x = a.columns[i]!;
    const y = b.columns[j]!;
    if (x === y) sum += a.weights[i++]! * b.weights[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return sum;
}
