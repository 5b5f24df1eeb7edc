import { truncatedSvd } from '../src/search/linalg.js';
import { analyze, normalize } from '../src/search/lsa.js';

/**
 * Word vectors learned from the stored papers (skip-gram with negative sampling, Mikolov et al.
 * 2013) and pooled into text vectors with SIF weights (smooth inverse frequency, Arora et al.
 * 2017): a text is the weighted mean of its words' vectors, each weighted a / (a + p(word)), with
 * the corpus's first principal component taken out (what every text shares: the corpus's
 * common words and style, not its topic).
 */
export interface SifModel {
  dimensions: number;
  /** Stemmed terms, most frequent first; a term's position is its row in `vectors`. */
  vocabulary: string[];
  /** a / (a + p(term)) per term. */
  weights: Float32Array;
  /** vocabulary.length × dimensions, row-major. */
  vectors: Float32Array;
  /** The unit first principal component of the corpus's pooled texts, removed from every text. */
  component: Float32Array;
}

export interface SgnsOptions {
  dimensions: number;
  /** Words on each side of the centre (a smaller window is drawn per word, as word2vec does). */
  window?: number;
  negatives?: number;
  /** Passes over the corpus. */
  epochs?: number;
  /** Terms seen fewer times are dropped. */
  minCount?: number;
  maxVocabulary?: number;
  /** Frequent words are randomly dropped above this frequency (word2vec's `sample`). */
  subsample?: number;
  learningRate?: number;
  seed?: number;
}

/** SIF's a: words much more frequent than this weigh little. */
export const SIF_SMOOTHING = 1e-3;

/** a / (a + p(w)) for each term's corpus count. */
export function sifWeights(counts: ArrayLike<number>, a = SIF_SMOOTHING): Float32Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  return Float32Array.from({ length: counts.length }, (_, i) => a / (a + counts[i]! / Math.max(total, 1)));
}

/** The unit first principal component (uncentred, as SIF takes it) of the rows, by power iteration. */
export function firstPrincipalComponent(rows: Float32Array[], dimensions: number, iterations = 50): Float32Array {
  let component: Float32Array = new Float32Array(dimensions).fill(1 / Math.sqrt(dimensions));
  for (let it = 0; it < iterations; it++) {
    const next = new Float32Array(dimensions);
    for (const row of rows) {
      let projection = 0;
      for (let j = 0; j < dimensions; j++) projection += row[j]! * component[j]!;
      for (let j = 0; j < dimensions; j++) next[j]! += projection * row[j]!;
    }
    if (next.every((x) => x === 0)) return next;
    component = normalize(next);
  }
  return component;
}

/** The vector less its part along a unit direction, in place. */
export function removeComponent(vector: Float32Array, unit: Float32Array): Float32Array {
  let projection = 0;
  for (let j = 0; j < vector.length; j++) projection += vector[j]! * unit[j]!;
  for (let j = 0; j < vector.length; j++) vector[j]! -= projection * unit[j]!;
  return vector;
}

/** xorshift32: a seeded, fast source of 32-bit integers for the training loop. */
export function randomIntegers(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

interface Vocabulary {
  terms: string[];
  counts: Float64Array;
  /** Every text as term indices (terms outside the vocabulary left out). */
  texts: Int32Array[];
}

function buildVocabulary(texts: string[][], minCount: number, maxVocabulary: number): Vocabulary {
  const counts = new Map<string, number>();
  for (const terms of texts) for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const terms = [...counts]
    .filter(([, n]) => n >= minCount)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, maxVocabulary)
    .map(([term]) => term);
  const index = new Map(terms.map((term, i) => [term, i]));
  return {
    terms,
    counts: Float64Array.from(terms, (t) => counts.get(t)!),
    texts: texts.map((words) => Int32Array.from(words.flatMap((w) => index.get(w) ?? []))),
  };
}

const NEGATIVE_TABLE_SIZE = 1 << 20;
const MAX_EXP = 6;

/**
 * Skip-gram with negative sampling over analysed texts, on this thread (single-threaded, so a fit
 * is reproducible). Returns the input vectors, vocabulary.length × dimensions.
 */
export function trainSgns(vocabulary: Vocabulary, options: SgnsOptions): Float32Array {
  const dim = options.dimensions;
  const window = options.window ?? 5;
  const negatives = options.negatives ?? 5;
  const epochs = options.epochs ?? 5;
  const subsample = options.subsample ?? 1e-4;
  const startRate = options.learningRate ?? 0.025;
  const random = randomIntegers(options.seed ?? 1);
  const uniform = () => random() / 4294967296;
  const size = vocabulary.terms.length;
  const input = new Float32Array(size * dim);
  for (let i = 0; i < input.length; i++) input[i] = (uniform() - 0.5) / dim;
  const output = new Float32Array(size * dim);
  if (size === 0) return input;

  // Negatives are drawn in proportion to count^0.75.
  const table = new Int32Array(NEGATIVE_TABLE_SIZE);
  let powerTotal = 0;
  for (const n of vocabulary.counts) powerTotal += n ** 0.75;
  let term = 0;
  let cumulative = vocabulary.counts[0]! ** 0.75 / powerTotal;
  for (let i = 0; i < NEGATIVE_TABLE_SIZE; i++) {
    table[i] = term;
    if (i / NEGATIVE_TABLE_SIZE > cumulative && term < size - 1) {
      term++;
      cumulative += vocabulary.counts[term]! ** 0.75 / powerTotal;
    }
  }
  let total = 0;
  for (const n of vocabulary.counts) total += n;
  const keep = Float64Array.from(vocabulary.counts, (n) => {
    const f = n / total;
    return Math.min(1, (Math.sqrt(f / subsample) + 1) * (subsample / f));
  });

  const work = total * epochs;
  let seen = 0;
  const gradient = new Float32Array(dim);
  const sentence = new Int32Array(Math.max(...vocabulary.texts.map((t) => t.length), 1));
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const text of vocabulary.texts) {
      const rate = Math.max(startRate * (1 - seen / work), startRate * 1e-4);
      seen += text.length;
      let length = 0;
      for (const w of text) if (keep[w]! >= 1 || uniform() < keep[w]!) sentence[length++] = w;
      for (let pos = 0; pos < length; pos++) {
        const centre = sentence[pos]!;
        const reach = 1 + (random() % window);
        for (let c = Math.max(0, pos - reach); c <= Math.min(length - 1, pos + reach); c++) {
          if (c === pos) continue;
          const from = sentence[c]! * dim;
          gradient.fill(0);
          for (let d = 0; d <= negatives; d++) {
            const target = d === 0 ? centre : table[random() % NEGATIVE_TABLE_SIZE]!;
            if (d > 0 && target === centre) continue;
            const to = target * dim;
            let f = 0;
            for (let j = 0; j < dim; j++) f += input[from + j]! * output[to + j]!;
            const label = d === 0 ? 1 : 0;
            const g = (f > MAX_EXP ? label - 1 : f < -MAX_EXP ? label : label - 1 / (1 + Math.exp(-f))) * rate;
            for (let j = 0; j < dim; j++) {
              gradient[j]! += g * output[to + j]!;
              output[to + j]! += g * input[from + j]!;
            }
          }
          for (let j = 0; j < dim; j++) input[from + j]! += gradient[j]!;
        }
      }
    }
  }
  return input;
}

/**
 * Word vectors as a factorised co-occurrence matrix (Levy & Goldberg 2014): positive pointwise
 * mutual information of words within `window` of each other (context counts raised to 0.75, as
 * SGNS's negatives are drawn), truncated to `dimensions` by SVD, each word scaled by √σ.
 */
export function trainPpmiSvd(
  vocabulary: Vocabulary,
  options: { dimensions: number; window?: number; seed?: number },
): Float32Array {
  const window = options.window ?? 5;
  const size = vocabulary.terms.length;
  const rows = Array.from({ length: size }, () => new Map<number, number>());
  for (const text of vocabulary.texts) {
    for (let i = 0; i < text.length; i++) {
      for (let j = i + 1; j <= Math.min(text.length - 1, i + window); j++) {
        const a = text[i]!;
        const b = text[j]!;
        rows[a]!.set(b, (rows[a]!.get(b) ?? 0) + 1);
        rows[b]!.set(a, (rows[b]!.get(a) ?? 0) + 1);
      }
    }
  }
  const contexts = new Float64Array(size);
  const wordTotals = new Float64Array(size);
  rows.forEach((row, w) => {
    for (const [c, n] of row) {
      contexts[c]! += n;
      wordTotals[w]! += n;
    }
  });
  let smoothed = 0;
  for (const n of contexts) smoothed += n ** 0.75;
  const start = new Uint32Array(size + 1);
  const indices: number[] = [];
  const values: number[] = [];
  rows.forEach((row, w) => {
    for (const [c, n] of [...row].sort((x, y) => x[0] - y[0])) {
      const pmi = Math.log((n * smoothed) / (wordTotals[w]! * contexts[c]! ** 0.75));
      if (pmi > 0) {
        indices.push(c);
        values.push(pmi);
      }
    }
    start[w + 1] = indices.length;
  });
  const dim = options.dimensions;
  const vectors = new Float32Array(size * dim);
  if (indices.length === 0) return vectors;
  const svd = truncatedSvd(
    { rows: size, columns: size, start, indices: Uint32Array.from(indices), values: Float32Array.from(values) },
    dim,
    { seed: options.seed ?? 1 },
  );
  const k = svd.right.cols;
  for (let t = 0; t < size; t++)
    for (let j = 0; j < k; j++) vectors[t * dim + j] = svd.right.data[t * k + j]! * Math.sqrt(svd.values[j]!);
  return vectors;
}

/** The SIF-weighted sum of a text's known words' vectors (not yet normalised, component not removed). */
function pooled(model: Pick<SifModel, 'dimensions' | 'weights' | 'vectors'>, terms: Int32Array): Float32Array {
  const k = model.dimensions;
  const vector = new Float32Array(k);
  for (const t of terms) {
    const weight = model.weights[t]!;
    const base = t * k;
    for (let j = 0; j < k; j++) vector[j]! += weight * model.vectors[base + j]!;
  }
  return vector;
}

export interface SifFitOptions extends SgnsOptions {
  /** How word vectors are learned: skip-gram with negative sampling, or a factorised PPMI matrix. */
  method?: 'sgns' | 'ppmi';
  /** Learns from at most this many texts (an even spread of them); every paper is still embedded. */
  maxDocuments?: number;
}

/** Trains word vectors on the texts (title and abstract of each paper) and the SIF model over them. */
export function fitSif(texts: string[], options: SifFitOptions): SifModel {
  const step = Math.max(1, texts.length / (options.maxDocuments ?? Number.POSITIVE_INFINITY));
  const analysed: string[][] = [];
  for (let i = 0; i < texts.length; i += step) analysed.push(analyze(texts[Math.floor(i)]!));
  const vocabulary = buildVocabulary(analysed, options.minCount ?? 3, options.maxVocabulary ?? 50_000);
  const vectors = options.method === 'ppmi' ? trainPpmiSvd(vocabulary, options) : trainSgns(vocabulary, options);
  const weights = sifWeights(vocabulary.counts);
  const model = { dimensions: options.dimensions, vocabulary: vocabulary.terms, weights, vectors };
  const pooledTexts = vocabulary.texts.map((terms) => normalize(pooled(model, terms)));
  return { ...model, component: firstPrincipalComponent(pooledTexts, options.dimensions) };
}

// A memo of the immutable model object (dropped with it), not a service: it holds no handle.
const termIndexes = new WeakMap<SifModel, Map<string, number>>();

/** Unit SIF vectors of texts; a text with no known word gets the zero vector. */
export function embedSif(model: SifModel, texts: string[]): Float32Array[] {
  let index = termIndexes.get(model);
  if (!index) {
    index = new Map(model.vocabulary.map((term, i) => [term, i]));
    termIndexes.set(model, index);
  }
  const known = index;
  return texts.map((text) => {
    const terms = Int32Array.from(analyze(text).flatMap((t) => known.get(t) ?? []));
    return normalize(removeComponent(pooled(model, terms), model.component));
  });
}
