/**
 * arxiv-sanity-lite's recommender, the anchor of eval/recommendations.ts, as its compute.py and
 * serve.py set it up: scikit-learn's TfidfVectorizer over title, abstract and authors (unicode
 * accents stripped, lower case, tokens `[a-zA-Z_][a-zA-Z0-9_]+`, English stop words, 1–2 grams,
 * min_df 5, max_df 0.1, the 20,000 most frequent, smoothed idf, sublinear tf, L2 norm), then
 * LinearSVC (squared hinge loss, C = 0.01, balanced class weights, an intercept as a feature of 1,
 * tol 1e-6, at most 10,000 passes) trained on the tagged papers against every other paper, which
 * are ranked by its decision function. The stop list here is the common English function words:
 * with max_df 0.1 every word in more than a tenth of the papers goes anyway.
 */

const STOP_WORDS = new Set(
  `a about above across after afterwards again against all almost alone along already also although always am among amongst an
  and another any anyhow anyone anything anyway anywhere are around as at back be became because become becomes been before
  beforehand behind being below beside besides between beyond both but by can cannot could did do does done down due during each
  eg either else elsewhere enough etc even ever every everyone everything everywhere except few first for former formerly from
  further had has have he hence her here hereafter hereby herein hers herself him himself his how however ie if in inc indeed into
  is it its itself last latter latterly least less ltd made many may me meanwhile might more moreover most mostly much must my
  myself namely neither never nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one only onto
  or other others otherwise our ours ourselves out over own per perhaps please rather re same seem seemed seeming seems several she
  should since so some somehow someone something sometime sometimes somewhere still such than that the their them themselves then
  thence there thereafter thereby therefore therein thereupon these they this those though through throughout thru thus to together
  too toward towards under until up upon us very via was we well were what whatever when whence whenever where whereafter whereas
  whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will with within without would
  yet you your yours yourself yourselves`.split(/\s+/),
);

function tokens(text: string): string[] {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  return (plain.match(/\b[a-z_][a-z0-9_]+\b/g) ?? []).filter((t) => !STOP_WORDS.has(t));
}

function grams(text: string): string[] {
  const words = tokens(text);
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** The tf-idf matrix of the texts, one sparse L2-normalised row each. */
export function tfIdfMatrix(texts: string[], options = { maxFeatures: 20_000, minDf: 5, maxDf: 0.1 }): SparseVector[] {
  const documents = texts.map((text) => {
    const counts = new Map<string, number>();
    for (const gram of grams(text)) counts.set(gram, (counts.get(gram) ?? 0) + 1);
    return counts;
  });
  const df = new Map<string, number>();
  const total = new Map<string, number>();
  for (const counts of documents) {
    for (const [gram, count] of counts) {
      df.set(gram, (df.get(gram) ?? 0) + 1);
      total.set(gram, (total.get(gram) ?? 0) + count);
    }
  }
  const n = texts.length;
  const maxDocs = options.maxDf * n;
  // As scikit-learn: df bounds first, then the most frequent terms over the corpus (ties by term).
  const kept = [...df]
    .filter(([, d]) => d >= options.minDf && d <= maxDocs)
    .map(([gram]) => gram)
    .sort((a, b) => total.get(b)! - total.get(a)! || (a < b ? -1 : 1))
    .slice(0, options.maxFeatures)
    .sort();
  const column = new Map(kept.map((gram, i) => [gram, i]));
  const idf = kept.map((gram) => Math.log((1 + n) / (1 + df.get(gram)!)) + 1);
  return documents.map((counts) => {
    const entries: [number, number][] = [];
    for (const [gram, count] of counts) {
      const j = column.get(gram);
      if (j !== undefined) entries.push([j, (1 + Math.log(count)) * idf[j]!]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.hypot(...entries.map((e) => e[1])) || 1;
    return {
      indices: Uint32Array.from(entries.map((e) => e[0])),
      values: Float32Array.from(entries.map((e) => e[1] / norm)),
    };
  });
}

/**
 * A linear SVM with squared hinge loss by dual coordinate descent (Hsieh et al., 2008, LIBLINEAR's
 * solver behind LinearSVC), with per-class C (balanced: C × n / (2 × class size)) and the intercept
 * learned as the weight of a constant feature 1. Returns the decision function of every row.
 */
export function linearSvmScores(
  rows: SparseVector[],
  positive: ReadonlySet<number>,
  options = { c: 0.01, tolerance: 1e-6, maxPasses: 10_000, seed: 1 },
): Float64Array {
  const n = rows.length;
  const features = rows.reduce((max, row) => Math.max(max, row.indices.length ? row.indices.at(-1)! + 1 : 0), 0);
  const w = new Float64Array(features + 1); // the last weight is the intercept's
  const alpha = new Float64Array(n);
  const y = Float64Array.from({ length: n }, (_, i) => (positive.has(i) ? 1 : -1));
  const positives = positive.size;
  const classC = (i: number) => (options.c * n) / (2 * (y[i]! > 0 ? positives : n - positives));
  const diagonal = Float64Array.from({ length: n }, (_, i) => 1 / (2 * classC(i)));
  const qii = Float64Array.from({ length: n }, (_, i) => {
    let sum = 1; // the constant feature
    for (const v of rows[i]!.values) sum += v * v;
    return sum + diagonal[i]!;
  });
  const order = Array.from({ length: n }, (_, i) => i);
  let state = options.seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  for (let pass = 0; pass < options.maxPasses; pass++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let maxGradient = Number.NEGATIVE_INFINITY;
    let minGradient = Number.POSITIVE_INFINITY;
    for (const i of order) {
      const row = rows[i]!;
      let margin = w[features]!;
      for (let k = 0; k < row.indices.length; k++) margin += w[row.indices[k]!]! * row.values[k]!;
      const gradient = y[i]! * margin - 1 + diagonal[i]! * alpha[i]!;
      const projected = alpha[i] === 0 ? Math.min(gradient, 0) : gradient;
      maxGradient = Math.max(maxGradient, projected);
      minGradient = Math.min(minGradient, projected);
      if (projected === 0) continue;
      const previous = alpha[i]!;
      alpha[i] = Math.max(previous - gradient / qii[i]!, 0);
      const step = (alpha[i]! - previous) * y[i]!;
      for (let k = 0; k < row.indices.length; k++) w[row.indices[k]!]! += step * row.values[k]!;
      w[features]! += step;
    }
    if (maxGradient - minGradient < options.tolerance) break;
  }
  return Float64Array.from(rows, (row) => {
    let score = w[features]!;
    for (let k = 0; k < row.indices.length; k++) score += w[row.indices[k]!]! * row.values[k]!;
    return score;
  });
}
