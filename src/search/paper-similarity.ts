import { standardScores } from './fusion.js';
import { analyze } from './lsa.js';
import type { SearchHit } from './types.js';

/**
 * How alike two papers are, read from their words, for ranking a paper's similar papers among a few
 * hundred candidates: the cosine of their sublinear tf-idf vectors (the classic baseline for query by
 * example, and the strongest single measure on csfcube-dev), and how well each sentence of one finds
 * a match in the other. A paper is similar along one facet (its background, method or result) more
 * often than along all of them; the best-matching sentence per sentence rewards a candidate that
 * shares one part closely over one that shares a little of every part. Idf is taken over the query
 * and its candidates: what tells them apart, not what tells them from the whole corpus (measured
 * better, and it needs no corpus counts).
 */

/**
 * A paper's distinct stems and how often each occurs, in the whole paper and in each sentence (the title
 * a sentence of its own). Terms are positions in `terms`, so ranking works on small typed arrays.
 */
export interface PaperWords {
  terms: string[];
  counts: Float32Array;
  sentences: { terms: Uint16Array; counts: Float32Array }[];
}

/**
 * An abstract's sentences: split after `.`, `!` or `?` followed by a space and a capital or digit,
 * so "e.g. this" and "3.5 points" stay whole.
 */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}])/u)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function paperWords(paper: { title: string; abstract: string }): PaperWords {
  const position = new Map<string, number>();
  const counts: number[] = [];
  const sentences: PaperWords['sentences'] = [];
  for (const sentence of [paper.title, ...sentencesOf(paper.abstract)]) {
    const positions: number[] = [];
    for (const term of analyze(sentence)) {
      let at = position.get(term);
      if (at === undefined) {
        at = position.size;
        position.set(term, at);
        counts.push(0);
      }
      counts[at]!++;
      positions.push(at);
    }
    if (positions.length > 0) sentences.push(runs(positions));
  }
  return { terms: [...position.keys()], counts: Float32Array.from(counts), sentences };
}

/** Term positions as distinct ascending positions and how often each occurs. */
function runs(positions: number[]): { terms: Uint16Array; counts: Float32Array } {
  const sorted = Uint16Array.from(positions).sort();
  let distinct = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct++;
  const terms = new Uint16Array(distinct);
  const counts = new Float32Array(distinct);
  for (let k = 0, run = -1; k < sorted.length; k++) {
    if (k === 0 || sorted[k] !== sorted[k - 1]) terms[++run] = sorted[k]!;
    counts[run]!++;
  }
  return { terms, counts };
}

/** Sublinear tf (1 + ln count) × idf of each term (by its position in the paper), scaled to unit length. */
function unitWeights(positions: Uint16Array | null, counts: Float32Array, idf: Float32Array): Float32Array {
  const weights = new Float32Array(counts.length);
  let norm = 0;
  for (let k = 0; k < counts.length; k++) {
    const weight = (1 + Math.log(counts[k]!)) * idf[positions ? positions[k]! : k]!;
    weights[k] = weight;
    norm += weight * weight;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let k = 0; k < weights.length; k++) weights[k]! *= scale;
  return weights;
}

/** A paper's words as ranking needs them: its whole-paper weights and each sentence's, and where its terms are in the query. */
interface Weighted {
  whole: Float32Array;
  sentences: { terms: Uint16Array; weights: Float32Array }[];
  /** Per term of the paper, its position among the query's terms, or -1. */
  inQuery: Int32Array;
}

/**
 * The mean, over the query's sentences, of the cosine of each with its best match among the candidate's
 * sentences; 0 if either has none. Only the query's terms can match, so each candidate sentence is laid
 * out densely over them (in `scratch`, one row per sentence).
 */
function sentenceMatch(query: Weighted, candidate: Weighted, queryTerms: number, scratch: Float32Array): number {
  const rows = candidate.sentences.length;
  if (query.sentences.length === 0 || rows === 0) return 0;
  const dense = scratch.length >= rows * queryTerms ? scratch : new Float32Array(rows * queryTerms);
  dense.fill(0, 0, rows * queryTerms);
  candidate.sentences.forEach(({ terms, weights }, row) => {
    for (let k = 0; k < terms.length; k++) {
      const at = candidate.inQuery[terms[k]!]!;
      if (at >= 0) dense[row * queryTerms + at] = weights[k]!;
    }
  });
  let sum = 0;
  for (const { terms, weights } of query.sentences) {
    let best = 0;
    for (let row = 0, base = 0; row < rows; row++, base += queryTerms) {
      let dot = 0;
      for (let k = 0; k < terms.length; k++) dot += weights[k]! * dense[base + terms[k]!]!;
      if (dot > best) best = dot;
    }
    sum += best;
  }
  return sum / query.sentences.length;
}

/** How much each measure counts, in standard scores over the candidates. */
export interface SimilarityWeights {
  /** The whole papers' tf-idf cosine. */
  words: number;
  /** The similarity of their stored vectors. */
  vectors: number;
  /** Sentence matches: per sentence of the query paper, its best cosine with a sentence of the candidate, averaged. */
  sentences: number;
}

export interface SimilarityCandidate {
  id: string;
  words: PaperWords;
  /** Its vector's similarity to the query paper's (0 without one). */
  vectorSimilarity: number;
}

/**
 * The candidates best first by the weighted sum of the three measures, each standardised over the
 * candidates (so a weight means the same whatever a measure's spread). Ties by id.
 */
export function rankBySimilarity(
  query: PaperWords,
  candidates: SimilarityCandidate[],
  weights: SimilarityWeights,
): SearchHit[] {
  // Smoothed idf over the query and its candidates: ln((n + 1) / (df + 1)) + 1.
  const documents = new Map<string, number>();
  const papers = [query, ...candidates.map((c) => c.words)];
  for (const { terms } of papers) for (const term of terms) documents.set(term, (documents.get(term) ?? 0) + 1);
  const queryPosition = new Map(query.terms.map((term, i) => [term, i]));
  const weighted = papers.map(({ terms, counts, sentences }): Weighted => {
    const idf = new Float32Array(terms.length);
    const inQuery = new Int32Array(terms.length);
    terms.forEach((term, k) => {
      idf[k] = Math.log((papers.length + 1) / (documents.get(term)! + 1)) + 1;
      inQuery[k] = queryPosition.get(term) ?? -1;
    });
    return {
      whole: unitWeights(null, counts, idf),
      sentences: sentences.map((s) => ({ terms: s.terms, weights: unitWeights(s.terms, s.counts, idf) })),
      inQuery,
    };
  });
  const scratch = new Float32Array(16 * query.terms.length);
  const [queryWeights, ...candidateWeights] = weighted as [Weighted, ...Weighted[]];
  const words: number[] = [];
  const sentences: number[] = [];
  for (const candidate of candidateWeights) {
    let cosine = 0;
    for (let k = 0; k < candidate.inQuery.length; k++) {
      const at = candidate.inQuery[k]!;
      if (at >= 0) cosine += candidate.whole[k]! * queryWeights.whole[at]!;
    }
    words.push(cosine);
    sentences.push(weights.sentences === 0 ? 0 : sentenceMatch(queryWeights, candidate, query.terms.length, scratch));
  }
  const wordScores = standardScores(words);
  const sentenceScores = standardScores(sentences);
  const vectorScores = standardScores(candidates.map((c) => c.vectorSimilarity));
  return candidates
    .map(({ id }, i) => ({
      id,
      score:
        weights.words * wordScores[i]! + weights.vectors * vectorScores[i]! + weights.sentences * sentenceScores[i]!,
    }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
