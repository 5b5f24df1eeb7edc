/**
 * What fitting the corpus-learned model on part of the corpus costs (`npm run eval -- lsa-sample`), on
 * scifact-train: the model fitted on every paper (the anchor: what a refit gives), on an even sample
 * of them (as a fit on up to LSA_MAX_FIT_DOCUMENTS of a larger corpus is), and on the corpus's first
 * half, quarter or eighth (a model that stopped refitting while the corpus grew 2×, 4×, 8×: the
 * later papers' new words are unknown to it). Every paper is embedded with each model; semantic and
 * hybrid search (the lexical top 100 pooled as search does) are scored by nDCG@10 overall and per half.
 */
import { lsaFitOptions, paperText } from '../src/search/embedder.js';
import { scoreFusion } from '../src/search/fusion.js';
import { dot } from '../src/search/linalg.js';
import { embedLsa, fitLsa, type LsaFitOptions } from '../src/search/lsa.js';
import { HYBRID_SEMANTIC_WEIGHT, searchPapers } from '../src/search/search.js';
import type { SearchHit } from '../src/search/types.js';
import { embeddedSite } from './_judged-corpus.js';
import { judgedQueries, ndcgByHalves, scifact } from './_scifact-halves.js';

const DEPTH = 100;
const { papers } = scifact;
const texts = papers.map(paperText);
const queryTexts = judgedQueries.map((q) => q.text);

const site = await embeddedSite(papers);
try {
  const lexical: SearchHit[][] = [];
  for (const text of queryTexts) lexical.push(await searchPapers(site.ctx, { text, mode: 'lexical', limit: DEPTH }));

  const fits: Record<string, { fitted_on: number; options: LsaFitOptions }> = {
    'all papers (anchor)': { fitted_on: texts.length, options: lsaFitOptions(texts.length) },
  };
  for (const part of [2, 4, 8]) {
    const count = Math.floor(texts.length / part);
    fits[`even sample of 1/${part}`] = {
      fitted_on: count,
      options: { ...lsaFitOptions(texts.length), maxDocuments: count },
    };
    fits[`first 1/${part}, not refitted`] = { fitted_on: count, options: lsaFitOptions(count) };
  }

  const results: Record<string, unknown> = { lexical: ndcgByHalves(lexical) };
  for (const [name, { fitted_on, options }] of Object.entries(fits)) {
    const started = performance.now();
    const model = fitLsa(name.startsWith('first') ? texts.slice(0, fitted_on) : texts, options);
    const fitSeconds = (performance.now() - started) / 1000;
    const paperVectors = embedLsa(model, texts);
    const queryVectors = embedLsa(model, queryTexts);
    const semantic: SearchHit[][] = [];
    const hybrid: SearchHit[][] = [];
    queryVectors.forEach((query, q) => {
      const ranked = papers.map((paper, p) => ({ id: paper.id, score: dot(query, paperVectors[p]!) }));
      ranked.sort((a, b) => b.score - a.score);
      semantic.push(ranked.slice(0, DEPTH));
      const similarity = new Map(ranked.map((h) => [h.id, h.score]));
      const pool = new Set([...semantic[q]!, ...lexical[q]!].map((h) => h.id));
      hybrid.push(
        scoreFusion(lexical[q]!, new Map([...pool].map((id) => [id, similarity.get(id)!])), HYBRID_SEMANTIC_WEIGHT),
      );
    });
    results[name] = {
      fitted_on,
      dimensions: model.dimensions,
      fit_seconds: Math.round(fitSeconds * 10) / 10,
      semantic: ndcgByHalves(semantic),
      hybrid: ndcgByHalves(hybrid),
    };
    process.stderr.write(`${name}: ${JSON.stringify(results[name])}\n`);
  }
  process.stdout.write(
    `${JSON.stringify({ eval: 'lsa-sample', dataset: 'scifact-train', papers: papers.length, queries: judgedQueries.length, ndcg10: results }, null, 1)}\n`,
  );
} finally {
  await site.close();
}
