import { fnv1a } from '../src/search/fnv.js';
import { analyze, normalize } from '../src/search/lsa.js';
import { randomIntegers } from './_word-vectors.js';

/**
 * A contrastive bag-of-n-grams encoder (issue 16's candidate): a text's stemmed words and word
 * bigrams are hashed into buckets, its vector is the idf-weighted mean of its buckets' rows,
 * L2-normalised, and the rows are learned so that a paper's title (or one sentence of its abstract)
 * lands nearest its own abstract among the batch's (InfoNCE with in-batch negatives, both ways).
 */
export interface ContrastiveModel {
  dimensions: number;
  /** log2 of the number of hash buckets. */
  bucketBits: number;
  /** Per bucket: log(1 + texts / texts holding it); 0 for a bucket no training text holds (its row is noise). */
  idf: Float32Array;
  /** buckets × dimensions, row-major. */
  rows: Float32Array;
}

export interface ContrastiveOptions {
  dimensions?: number;
  bucketBits?: number;
  epochs?: number;
  batchSize?: number;
  temperature?: number;
  learningRate?: number;
  /** Anchors: the title, or a random sentence of the abstract (its positive is the rest of the abstract). */
  pairs?: 'title' | 'sentence' | 'both';
  seed?: number;
}

/** FNV-1a of a string, masked to the bucket range. */
function bucketOf(feature: string, bits: number): number {
  return (fnv1a(feature) >>> 0) & ((1 << bits) - 1);
}

/** The buckets of a text's stems and stem bigrams (repeats kept: a repeated word weighs more). */
export function featureBuckets(text: string, bits: number): Int32Array {
  const terms = analyze(text);
  const buckets = new Int32Array(terms.length * 2 - (terms.length > 0 ? 1 : 0));
  let n = 0;
  for (let i = 0; i < terms.length; i++) {
    buckets[n++] = bucketOf(terms[i]!, bits);
    if (i > 0) buckets[n++] = bucketOf(`${terms[i - 1]} ${terms[i]}`, bits);
  }
  return buckets;
}

/** The idf-weighted mean of the buckets' rows (unnormalised) and its weight sum. */
function pool(model: ContrastiveModel, buckets: Int32Array, out: Float32Array): number {
  const { dimensions: d, idf, rows } = model;
  out.fill(0);
  let total = 0;
  for (const b of buckets) {
    const w = idf[b]!;
    if (w === 0) continue;
    total += w;
    const base = b * d;
    for (let j = 0; j < d; j++) out[j]! += w * rows[base + j]!;
  }
  if (total > 0) for (let j = 0; j < d; j++) out[j]! /= total;
  return total;
}

/** Unit vectors of texts (zero for a text with no known feature). */
export function embedContrastive(model: ContrastiveModel, texts: string[]): Float32Array[] {
  return texts.map((text) => {
    const vector = new Float32Array(model.dimensions);
    pool(model, featureBuckets(text, model.bucketBits), vector);
    return normalize(vector);
  });
}

/** Splits an abstract into sentences (at ". " before a capital or digit). */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}])/u).filter((s) => s.trim().length > 0);
}

/** Trains the encoder on papers' (title, abstract) pairs; deterministic for a seed. */
export function fitContrastive(
  papers: { title: string; abstract: string }[],
  options: ContrastiveOptions = {},
): ContrastiveModel {
  const d = options.dimensions ?? 128;
  const bits = options.bucketBits ?? 18;
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 128;
  const tau = options.temperature ?? 0.05;
  const lr = options.learningRate ?? 0.05;
  const pairs = options.pairs ?? 'both';
  const random = randomIntegers(options.seed ?? 1);
  const uniform = () => random() / 2 ** 32;

  const buckets = 1 << bits;
  const abstracts = papers.map((p) => featureBuckets(p.abstract, bits));
  const documentFrequency = new Float64Array(buckets);
  for (const paper of papers) {
    for (const b of new Set(featureBuckets(`${paper.title}\n${paper.abstract}`, bits))) documentFrequency[b]!++;
  }
  const idf = Float32Array.from(documentFrequency, (df) => (df > 0 ? Math.log(1 + papers.length / df) : 0));
  const rows = new Float32Array(buckets * d);
  for (let i = 0; i < rows.length; i++) rows[i] = (uniform() - 0.5) / Math.sqrt(d);
  const model: ContrastiveModel = { dimensions: d, bucketBits: bits, idf, rows };
  // Row-wise Adagrad: one squared-gradient sum per bucket keeps the optimiser's memory at 4 bytes a bucket.
  const squaredGradients = new Float32Array(buckets);

  const titleBuckets = papers.map((p) => featureBuckets(p.title, bits));
  const sentenceSplits = papers.map((p) => sentences(p.abstract));
  /** An anchor and its positive for a paper in this epoch. */
  const pairOf = (i: number, epoch: number): [Int32Array, Int32Array] => {
    const parts = sentenceSplits[i]!;
    const useSentence = pairs === 'sentence' || (pairs === 'both' && epoch % 2 === 1);
    if (!useSentence || parts.length < 2) return [titleBuckets[i]!, abstracts[i]!];
    const k = random() % parts.length;
    return [featureBuckets(parts[k]!, bits), featureBuckets(parts.filter((_, j) => j !== k).join(' '), bits)];
  };

  const order = Int32Array.from(papers.keys());
  const n = batchSize;
  const vectors = [
    Array.from({ length: n }, () => new Float32Array(d)),
    Array.from({ length: n }, () => new Float32Array(d)),
  ];
  const norms = [new Float64Array(n), new Float64Array(n)];
  const totals = [new Float64Array(n), new Float64Array(n)];
  const grads = [
    Array.from({ length: n }, () => new Float32Array(d)),
    Array.from({ length: n }, () => new Float32Array(d)),
  ];
  const similarity = new Float64Array(n * n);
  const rowGrad = new Float32Array(d);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = random() % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let start = 0; start + n <= order.length; start += n) {
      const batch = Array.from({ length: n }, (_, k) => pairOf(order[start + k]!, epoch));
      // Forward: unit vectors of anchors (side 0) and positives (side 1).
      for (let side = 0; side < 2; side++) {
        for (let k = 0; k < n; k++) {
          const v = vectors[side]![k]!;
          totals[side]![k] = pool(model, batch[k]![side]!, v);
          let norm = 0;
          for (let j = 0; j < d; j++) norm += v[j]! * v[j]!;
          norm = Math.sqrt(norm) || 1;
          norms[side]![k] = norm;
          for (let j = 0; j < d; j++) v[j]! /= norm;
        }
      }
      for (let a = 0; a < n; a++) {
        for (let p = 0; p < n; p++) {
          let s = 0;
          const va = vectors[0]![a]!;
          const vp = vectors[1]![p]!;
          for (let j = 0; j < d; j++) s += va[j]! * vp[j]!;
          similarity[a * n + p] = s / tau;
        }
      }
      // dLoss/dS: (row softmax − I + column softmax − I) / 2n, stored back into similarity.
      const gradient = new Float64Array(n * n);
      for (let a = 0; a < n; a++) {
        let max = -Infinity;
        for (let p = 0; p < n; p++) max = Math.max(max, similarity[a * n + p]!);
        let sum = 0;
        for (let p = 0; p < n; p++) sum += Math.exp(similarity[a * n + p]! - max);
        for (let p = 0; p < n; p++)
          gradient[a * n + p]! += (Math.exp(similarity[a * n + p]! - max) / sum - (a === p ? 1 : 0)) / (2 * n);
      }
      for (let p = 0; p < n; p++) {
        let max = -Infinity;
        for (let a = 0; a < n; a++) max = Math.max(max, similarity[a * n + p]!);
        let sum = 0;
        for (let a = 0; a < n; a++) sum += Math.exp(similarity[a * n + p]! - max);
        for (let a = 0; a < n; a++)
          gradient[a * n + p]! += (Math.exp(similarity[a * n + p]! - max) / sum - (a === p ? 1 : 0)) / (2 * n);
      }
      // Gradients on the unit vectors, then through the normalisation onto the pooled vectors.
      for (let side = 0; side < 2; side++) {
        for (let k = 0; k < n; k++) {
          const g = grads[side]![k]!;
          g.fill(0);
          for (let other = 0; other < n; other++) {
            const G = side === 0 ? gradient[k * n + other]! : gradient[other * n + k]!;
            const v = vectors[1 - side]![other]!;
            for (let j = 0; j < d; j++) g[j]! += (G / tau) * v[j]!;
          }
          const u = vectors[side]![k]!;
          let projection = 0;
          for (let j = 0; j < d; j++) projection += u[j]! * g[j]!;
          for (let j = 0; j < d; j++) g[j] = (g[j]! - projection * u[j]!) / norms[side]![k]!;
        }
      }
      // Sparse updates: each bucket's row moves by its share (idf / total weight) of its text's gradient.
      for (let side = 0; side < 2; side++) {
        for (let k = 0; k < n; k++) {
          const total = totals[side]![k]!;
          if (total === 0) continue;
          const g = grads[side]![k]!;
          for (const b of batch[k]![side]!) {
            const w = idf[b]!;
            if (w === 0) continue;
            let squared = 0;
            for (let j = 0; j < d; j++) {
              rowGrad[j] = (w / total) * g[j]!;
              squared += rowGrad[j]! * rowGrad[j]!;
            }
            squaredGradients[b]! += squared / d;
            const step = lr / Math.sqrt(squaredGradients[b]! + 1e-10);
            const base = b * d;
            for (let j = 0; j < d; j++) rows[base + j]! -= step * rowGrad[j]!;
          }
        }
      }
    }
  }
  return model;
}
