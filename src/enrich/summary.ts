import { analyze } from '../search/lsa.js';
import { splitSentences } from './sentences.js';

/** Longest summary kept whole; a longer central sentence is cut at a word outside math. */
export const MAX_SUMMARY_LENGTH = 300;
/** Sentences with fewer content words than this are headings or fragments ("Code is available."), not summaries. */
const MIN_CONTENT_WORDS = 4;
const DAMPING = 0.85;
/**
 * Sentences that say what the paper does ("we propose", "this paper") are what a summary should
 * say (Edmundson's cue words); later sentences weigh a little less, as abstracts lead with their point.
 */
const CUE =
  /\b(?:we|this (?:paper|work|study|article)|here)\b[^.]{0,40}?\b(?:propose|present|introduce|develop|design|describe|show|study|investigate)/i;

export function sentencePrior(sentence: string, position: number): number {
  return (CUE.test(sentence) ? 2 : 1) / (1 + 0.1 * position);
}
const ITERATIONS = 30;

/** How rare a stemmed term is across the corpus (inverse document frequency); unseen terms count as rare. */
export type Idf = (term: string) => number;

/** Sublinear tf × idf of a sentence's terms, L2-normalised. */
function sentenceVector(terms: string[], idf: Idf): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const vector = new Map<string, number>();
  let norm = 0;
  for (const [term, count] of counts) {
    const weight = (1 + Math.log(count)) * idf(term);
    vector.set(term, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [term, weight] of vector) vector.set(term, weight / norm);
  return vector;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let sum = 0;
  for (const [term, weight] of small) sum += weight * (large.get(term) ?? 0);
  return sum;
}

/**
 * Continuous LexRank: each sentence's centrality is the stationary score of a random walk over the
 * sentences, stepping between them in proportion to their tf-idf cosine similarity. Scores in sentence order.
 */
export function sentenceCentrality(vectors: Map<string, number>[]): number[] {
  const n = vectors.length;
  const weights = vectors.map((a, i) => vectors.map((b, j) => (i === j ? 0 : cosine(a, b))));
  const outgoing = weights.map((row) => row.reduce((sum, w) => sum + w, 0));
  let scores = new Array<number>(n).fill(1 / n);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const next = new Array<number>(n).fill((1 - DAMPING) / n);
    for (let i = 0; i < n; i++) {
      // A sentence sharing no word with the others spreads its score evenly, as in PageRank's dangling nodes.
      for (let j = 0; j < n; j++) {
        const share = outgoing[i]! > 0 ? weights[i]![j]! / outgoing[i]! : 1 / n;
        next[j]! += DAMPING * scores[i]! * share;
      }
    }
    scores = next;
  }
  return scores;
}

/** Cuts a sentence to at most `max` characters at a space outside `$…$`, marking the cut with an ellipsis. */
export function shorten(sentence: string, max = MAX_SUMMARY_LENGTH): string {
  if (sentence.length <= max) return sentence;
  let cut = -1;
  let inMath = false;
  for (let i = 0; i < max; i++) {
    if (sentence[i] === '\\') i++;
    else if (sentence[i] === '$') inMath = !inMath;
    else if (sentence[i] === ' ' && !inMath) cut = i;
  }
  return `${sentence.slice(0, Math.max(cut, 0)).replace(/[\s,;:]+$/, '')}…`;
}

/**
 * A one-sentence extractive summary of an abstract: its most central sentence (LexRank over tf-idf
 * sentence vectors, `idf` from the corpus) weighted by its prior, earlier sentences winning ties. Null
 * for an empty abstract.
 */
export function extractiveSummary(abstract: string, idf: Idf): string | null {
  const sentences = splitSentences(abstract);
  if (sentences.length === 0) return null;
  const terms = sentences.map((s) => analyze(s));
  const candidates = sentences.map((_, i) => i).filter((i) => terms[i]!.length >= MIN_CONTENT_WORDS);
  if (candidates.length <= 1) return shorten(sentences[candidates[0] ?? 0]!);
  const centrality = sentenceCentrality(candidates.map((i) => sentenceVector(terms[i]!, idf)));
  const scores = candidates.map((i, k) => centrality[k]! * sentencePrior(sentences[i]!, i));
  let best = 0;
  for (let k = 1; k < candidates.length; k++) if (scores[k]! > scores[best]! + 1e-12) best = k;
  return shorten(sentences[candidates[best]!]!);
}
