import { FNV_OFFSET, FNV_PRIME, fnv1a } from './fnv.js';
import { standardScores } from './fusion.js';
import { isContentWord, MAX_WORD_LENGTH, stemOf, wordsOf } from './lsa.js';
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
 * Ids for the stems of the words read so far, so that ranking counts and matches small numbers, not
 * strings. Papers are compared only when their words were read with the same vocabulary.
 *
 * Reading words is most of the cost of ranking similar papers, and most of that was looking each word up
 * in a Map: a fresh string to hash and compare per word, and garbage to collect. Here a word is hashed
 * as its characters are scanned, and looked up in an open-addressing table of the words seen (a stop
 * word is remembered as one), so a word seen before costs no allocation. Some 100 bytes a word.
 */
export class Vocabulary {
  /** Per slot, the index of the word in it, or -1: at most half full, so probes stay short. */
  private slots = new Int32Array(1 << 16).fill(-1);
  private readonly words: string[] = [];
  private readonly hashes: number[] = [];
  /** Per word, its stem's id, or -1 for a word without content. */
  private readonly wordTerms: number[] = [];
  private readonly stemIds = new Map<string, number>();

  /** How many distinct words it has read. */
  get size(): number {
    return this.words.length;
  }

  /** Calls `each` with the stem id of every content word of a text, in order (words as `wordsOf` in lsa.ts splits them). */
  forEachTerm(text: string, each: (term: number) => void): void {
    // Beyond ASCII, what is a letter or digit is Unicode's to say; such a text is split by wordsOf itself.
    if (NOT_ASCII.test(text)) {
      for (const word of wordsOf(text)) {
        const term = this.termAt(word, 0, word.length, fnv1a(word));
        if (term >= 0) each(term);
      }
      return;
    }
    // NFKC leaves ASCII as it is.
    const lower = text.toLowerCase();
    let start = -1;
    let hash = 0;
    for (let i = 0; i <= lower.length; i++) {
      const c = i < lower.length ? lower.charCodeAt(i) : 0;
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (start < 0) {
          start = i;
          hash = FNV_OFFSET;
        }
        hash = Math.imul(hash ^ c, FNV_PRIME);
      } else if (start >= 0) {
        const term = this.termAt(lower, start, i, hash);
        if (term >= 0) each(term);
        start = -1;
      }
    }
  }

  /** The stem id of the word `text.slice(start, end)`, whose hash is given. */
  private termAt(text: string, start: number, end: number, hash: number): number {
    // Not kept: a text of run-on strings would fill the table with them.
    if (end - start > MAX_WORD_LENGTH) return -1;
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot]!;
      if (at < 0) break;
      const word = this.words[at]!;
      if (this.hashes[at] === hash && word.length === end - start && text.startsWith(word, start))
        return this.wordTerms[at]!;
    }
    const word = text.slice(start, end);
    const term = isContentWord(word) ? this.stemId(stemOf(word)) : -1;
    this.words.push(word);
    this.hashes.push(hash);
    this.wordTerms.push(term);
    if (2 * this.words.length > this.slots.length) this.rehash(2 * this.slots.length);
    else this.place(this.words.length - 1);
    return term;
  }

  private place(at: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[at]! & mask;
    while (this.slots[slot]! >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = at;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity).fill(-1);
    for (let at = 0; at < this.words.length; at++) this.place(at);
  }

  private stemId(stem: string): number {
    let id = this.stemIds.get(stem);
    if (id === undefined) {
      id = this.stemIds.size;
      this.stemIds.set(stem, id);
    }
    return id;
  }
}

const NOT_ASCII = /[^\0-\x7f]/;

/**
 * A paper's distinct stems (their ids in a vocabulary) and how often each occurs, in the whole paper and
 * in each sentence (the title a sentence of its own). A few flat typed arrays, so thousands of papers
 * kept between requests cost the collector little.
 */
export interface PaperWords {
  terms: Int32Array;
  counts: Float32Array;
  /** Sentence after sentence, its distinct terms as ascending positions in `terms`... */
  sentenceTerms: Uint16Array;
  /** ...how often each occurs in its sentence... */
  sentenceCounts: Float32Array;
  /** ...and where each sentence's entries end. */
  sentenceEnds: Uint32Array;
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

/**
 * Scratch space of paperWords, reused paper after paper (reading is synchronous): per stem id, its position
 * in the paper being read (-1 between papers), and the paper's term positions, sentence after sentence.
 */
let positionOfStem = new Int32Array(0);
let positions = new Uint16Array(4096);

export function paperWords(paper: { title: string; abstract: string }, vocabulary: Vocabulary): PaperWords {
  const terms: number[] = [];
  const counts: number[] = [];
  const ends: number[] = [];
  let read = 0;
  const readTerm = (term: number) => {
    if (term >= positionOfStem.length) {
      const larger = new Int32Array(2 * term + 1024).fill(-1);
      larger.set(positionOfStem);
      positionOfStem = larger;
    }
    let at = positionOfStem[term]!;
    if (at < 0) {
      at = terms.length;
      positionOfStem[term] = at;
      terms.push(term);
      counts.push(0);
    }
    counts[at]!++;
    if (read === positions.length) {
      const larger = new Uint16Array(2 * read);
      larger.set(positions);
      positions = larger;
    }
    positions[read++] = at;
  };
  for (const sentence of [paper.title, ...sentencesOf(paper.abstract)]) {
    vocabulary.forEachTerm(sentence, readTerm);
    if (read > (ends.at(-1) ?? 0)) ends.push(read);
  }
  for (const term of terms) positionOfStem[term] = -1;
  return { terms: Int32Array.from(terms), counts: Float32Array.from(counts), ...sentenceRuns(ends) };
}

/** Each sentence's term positions (in `positions`, ending at `ends`) as distinct ascending positions and counts. */
function sentenceRuns(ends: number[]): Pick<PaperWords, 'sentenceTerms' | 'sentenceCounts' | 'sentenceEnds'> {
  let distinct = 0;
  for (let s = 0, start = 0; s < ends.length; start = ends[s++]!) {
    // Insertion sort in place: a sentence has a few dozen terms, and a view to sort would be garbage
    // (a long one, as in an abstract without full stops, takes the view).
    if (ends[s]! - start > 64) positions.subarray(start, ends[s]).sort();
    for (let k = start + 1; k < ends[s]!; k++) {
      const at = positions[k]!;
      let j = k - 1;
      for (; j >= start && positions[j]! > at; j--) positions[j + 1] = positions[j]!;
      positions[j + 1] = at;
    }
    for (let k = start; k < ends[s]!; k++) if (k === start || positions[k] !== positions[k - 1]) distinct++;
  }
  const sentenceTerms = new Uint16Array(distinct);
  const sentenceCounts = new Float32Array(distinct);
  const sentenceEnds = new Uint32Array(ends.length);
  for (let s = 0, start = 0, run = -1; s < ends.length; start = ends[s++]!) {
    for (let k = start; k < ends[s]!; k++) {
      if (k === start || positions[k] !== positions[k - 1]) sentenceTerms[++run] = positions[k]!;
      sentenceCounts[run]!++;
    }
    sentenceEnds[s] = run + 1;
  }
  return { sentenceTerms, sentenceCounts, sentenceEnds };
}

/**
 * Sublinear tf (1 + ln count) × idf, scaled to unit length, of the entries `from`–`to` of `counts`: the
 * paper's terms, or (with `inTerms`, their positions in the paper's terms) a sentence's.
 */
function unitWeights(
  words: PaperWords,
  counts: Float32Array,
  inTerms: Uint16Array | null,
  from: number,
  to: number,
  idfOfStem: Float32Array,
  weights: Float32Array,
): void {
  let norm = 0;
  for (let k = from; k < to; k++) {
    const weight = (1 + Math.log(counts[k]!)) * idfOfStem[words.terms[inTerms ? inTerms[k]! : k]!]!;
    weights[k] = weight;
    norm += weight * weight;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let k = from; k < to; k++) weights[k]! *= scale;
}

/** A paper's words as ranking needs them: the weights of its whole-paper terms and of each sentence's. */
interface Weighted {
  words: PaperWords;
  whole: Float32Array;
  /** Per entry of words.sentenceTerms. */
  sentences: Float32Array;
}

function weighted(words: PaperWords, idfOfStem: Float32Array): Weighted {
  const whole = new Float32Array(words.terms.length);
  unitWeights(words, words.counts, null, 0, whole.length, idfOfStem, whole);
  const sentences = new Float32Array(words.sentenceTerms.length);
  for (let s = 0, start = 0; s < words.sentenceEnds.length; start = words.sentenceEnds[s++]!)
    unitWeights(words, words.sentenceCounts, words.sentenceTerms, start, words.sentenceEnds[s]!, idfOfStem, sentences);
  return { words, whole, sentences };
}

/**
 * The mean, over the query's sentences, of the cosine of each with its best match among the candidate's
 * sentences; 0 if either has none. Only the query's terms can match, so each candidate sentence is laid
 * out densely over them (in `scratch`, one row per sentence); `queryPosition` is per stem id.
 */
function sentenceMatch(query: Weighted, candidate: Weighted, queryPosition: Int32Array, scratch: Float32Array): number {
  const queryTerms = query.words.terms.length;
  const rows = candidate.words.sentenceEnds.length;
  const querySentences = query.words.sentenceEnds.length;
  if (querySentences === 0 || rows === 0) return 0;
  const dense = scratch.length >= rows * queryTerms ? scratch : new Float32Array(rows * queryTerms);
  dense.fill(0, 0, rows * queryTerms);
  const { terms, sentenceTerms, sentenceEnds } = candidate.words;
  for (let row = 0, k = 0; row < rows; row++) {
    for (; k < sentenceEnds[row]!; k++) {
      const at = queryPosition[terms[sentenceTerms[k]!]!]!;
      if (at >= 0) dense[row * queryTerms + at] = candidate.sentences[k]!;
    }
  }
  let sum = 0;
  for (let s = 0, start = 0; s < querySentences; start = query.words.sentenceEnds[s++]!) {
    const end = query.words.sentenceEnds[s]!;
    let best = 0;
    for (let row = 0, base = 0; row < rows; row++, base += queryTerms) {
      let dot = 0;
      for (let k = start; k < end; k++) dot += query.sentences[k]! * dense[base + query.words.sentenceTerms[k]!]!;
      if (dot > best) best = dot;
    }
    sum += best;
  }
  return sum / querySentences;
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
  // Smoothed idf over the query and its candidates: ln((n + 1) / (df + 1)) + 1, per stem id.
  const papers = [query, ...candidates.map((c) => c.words)];
  let stems = 0;
  for (const paper of papers) for (const term of paper.terms) stems = Math.max(stems, term + 1);
  const idfOfStem = new Float32Array(stems);
  for (const paper of papers) for (const term of paper.terms) idfOfStem[term]!++;
  for (let term = 0; term < stems; term++)
    if (idfOfStem[term]! > 0) idfOfStem[term] = Math.log((papers.length + 1) / (idfOfStem[term]! + 1)) + 1;
  const queryPosition = new Int32Array(stems).fill(-1);
  query.terms.forEach((term, i) => {
    queryPosition[term] = i;
  });
  const queryWeights = weighted(query, idfOfStem);
  const scratch = new Float32Array(16 * query.terms.length);
  const words: number[] = [];
  const sentences: number[] = [];
  for (const { words: paper } of candidates) {
    const candidate = weighted(paper, idfOfStem);
    let cosine = 0;
    for (let k = 0; k < paper.terms.length; k++) {
      const at = queryPosition[paper.terms[k]!]!;
      if (at >= 0) cosine += candidate.whole[k]! * queryWeights.whole[at]!;
    }
    words.push(cosine);
    sentences.push(weights.sentences === 0 ? 0 : sentenceMatch(queryWeights, candidate, queryPosition, scratch));
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
