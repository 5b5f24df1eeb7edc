/**
 * Candidate offline embedders on scifact-train (`npm run eval -- embedders`): the stored LSA model,
 * word vectors trained on the corpus pooled with SIF weights, and mixes of the two (cosines
 * averaged, the same as concatenating the weighted unit vectors), and a contrastive bag-of-n-grams
 * encoder trained on the papers' title/abstract and sentence/rest-of-abstract pairs (_contrastive-encoder.ts). Each is scored alone (semantic)
 * and pooled with the product's lexical top 100 as hybrid search does (scoreFusion) at several
 * weights, on all judged queries and on each half (odd and even query ids), so a choice that only
 * fits one half shows. Prints one JSON object; the anchor is the product's lexical ranking.
 */
import { scoreFusion } from '../src/search/fusion.js';
import { searchPapers } from '../src/search/search.js';
import { paperText } from '../src/search/embedder.js';
import { dot } from '../src/search/linalg.js';
import { embedSif, fitSif, type SifFitOptions } from './_word-vectors.js';
import { type ContrastiveOptions, embedContrastive, fitContrastive } from './_contrastive-encoder.js';
import type { SearchHit } from '../src/search/types.js';
import { embeddedSite } from './_judged-corpus.js';
import { judgedQueries, ndcgByHalves, scifact } from './_scifact-halves.js';

const DEPTH = 100;
const { papers } = scifact;
const judged = judgedQueries;
const score = ndcgByHalves;

const site = await embeddedSite(papers);
const { db, ctx } = site;
try {
  const lexical: SearchHit[][] = [];
  for (const q of judged) lexical.push(await searchPapers(ctx, { text: q.text, mode: 'lexical', limit: DEPTH }));
  const texts = papers.map(paperText);
  const queryTexts = judged.map((q) => q.text);
  const lsa = (await ctx.embedders.active(db))!;

  /** A candidate: unit vectors of the papers and queries in one space. */
  type Space = { papers: Float32Array[]; queries: Float32Array[] };
  const spaces = new Map<string, Space[]>();
  const fits: Record<string, { fit_seconds: number; papers_per_s: number }> = {};
  const timed = async (name: string, fitModel: () => Promise<(texts: string[]) => Promise<Float32Array[]>>) => {
    const started = performance.now();
    const embed = await fitModel();
    const fitted = performance.now();
    const space = { papers: await embed(texts), queries: await embed(queryTexts) };
    fits[name] = {
      fit_seconds: Math.round((fitted - started) / 100) / 10,
      papers_per_s: Math.round(texts.length / ((performance.now() - fitted) / 1000)),
    };
    spaces.set(name, [space]);
    process.stderr.write(`${name}: ${JSON.stringify(fits[name])}\n`);
    return space;
  };
  const lsaSpace = await timed('lsa', async () => (t) => lsa.embed(t));
  const candidates: Record<string, SifFitOptions> = {
    'sif sgns 128d 5 epochs': { dimensions: 128, epochs: 5, minCount: 2, subsample: 1e-3 },
    'sif ppmi 256d': { dimensions: 256, method: 'ppmi', minCount: 2 },
  };
  // EVAL_EMBEDDERS=ppmi measures only the candidates whose names contain it.
  const only = process.env.EVAL_EMBEDDERS ?? '';
  for (const [name, options] of Object.entries(candidates)) {
    if (!name.includes(only)) continue;
    const sif = await timed(name, async () => {
      const model = fitSif(texts, options);
      return async (t) => embedSif(model, t);
    });
    for (const share of [0.3, 0.5, 0.7]) spaces.set(`lsa + ${name} (share ${share})`, [lsaSpace, sif]);
  }
  // The contrastive bag-of-n-grams encoder, trained on the stored papers' (title, abstract) pairs.
  const contrastive: Record<string, ContrastiveOptions> = {
    'contrastive 128d title+sentence 10 epochs': { dimensions: 128, epochs: 10, pairs: 'both' },
  };
  for (const [name, options] of Object.entries(contrastive)) {
    if (!name.includes(only)) continue;
    const space = await timed(name, async () => {
      const model = fitContrastive(papers, options);
      return async (t) => embedContrastive(model, t);
    });
    for (const share of [0.3, 0.5, 0.7]) spaces.set(`lsa + ${name} (share ${share})`, [lsaSpace, space]);
  }

  const shares = (name: string) => {
    const match = /share ([\d.]+)/.exec(name);
    return match ? [1 - Number(match[1]), Number(match[1])] : [1];
  };
  const results: Record<string, unknown> = { lexical: score(lexical) };
  for (const [name, parts] of spaces) {
    const weights = shares(name);
    const similarity = (q: number, p: number) =>
      parts.reduce((sum, space, s) => sum + weights[s]! * dot(space.queries[q]!, space.papers[p]!), 0);
    const semantic: SearchHit[][] = [];
    const pooled: Map<string, number>[] = [];
    judged.forEach((_, q) => {
      const all = papers.map((paper, p) => ({ id: paper.id, score: similarity(q, p) }));
      all.sort((a, b) => b.score - a.score);
      semantic.push(all.slice(0, DEPTH));
      const byId = new Map(all.map((h) => [h.id, h.score]));
      const ids = new Set([...semantic[q]!, ...lexical[q]!].map((h) => h.id));
      pooled.push(new Map([...ids].map((id) => [id, byId.get(id)!])));
    });
    const hybrid: Record<string, unknown> = {};
    for (const w of [0.1, 0.2, 0.3, 0.5])
      hybrid[`weight ${w}`] = score(judged.map((_, q) => scoreFusion(lexical[q]!, pooled[q]!, w)));
    results[name] = { semantic: score(semantic), hybrid };
  }
  process.stdout.write(
    `${JSON.stringify({ dataset: 'scifact-train', papers: papers.length, queries: judged.length, fits, ndcg10: results }, null, 1)}\n`,
  );
} finally {
  await site.close();
}
