/**
 * Pseudo-relevance feedback on scifact-train (`npm run eval -- feedback`): RM3-style expansion
 * terms from the top lexical hits (expansionTerms) searched as a second lexical query, whose
 * scores (over its best) are added at a weight to the original's; then pooled with the semantic
 * similarities as hybrid search does. nDCG@10 overall and per half; the anchor is the same run's
 * lexical and hybrid rankings without feedback. Prints one JSON object.
 */
import { expansionTerms } from './_rm3.js';
import { paperText } from '../src/search/embedder.js';
import { scoreFusion } from '../src/search/fusion.js';
import { searchLexical } from '../src/search/lexical.js';
import { dot } from '../src/search/linalg.js';
import { analyze, contentWords } from '../src/search/lsa.js';
import { HYBRID_SEMANTIC_WEIGHT } from '../src/search/search.js';
import type { SearchHit } from '../src/search/types.js';
import { embeddedSite } from './_judged-corpus.js';
import { judgedQueries, ndcgByHalves, scifact } from './_scifact-halves.js';

const DEPTH = 100;
const { papers } = scifact;
const site = await embeddedSite(papers);
const { db, ctx } = site;
try {
  const words = new Map(papers.map((p) => [p.id, contentWords(paperText(p))]));
  const embedder = (await ctx.embedders.active(db))!;
  const paperVectors = new Map((await embedder.embed(papers.map(paperText))).map((v, i) => [papers[i]!.id, v]));
  const queryVectors = await embedder.embed(judgedQueries.map((q) => q.text));
  const semanticTop = queryVectors.map((q) =>
    [...paperVectors]
      .map(([id, v]) => ({ id, score: dot(q, v) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, DEPTH),
  );
  const hybrid = (lexical: SearchHit[][]) =>
    lexical.map((hits, q) => {
      const ids = new Set([...hits, ...semanticTop[q]!].map((h) => h.id));
      const similarity = new Map([...ids].map((id) => [id, dot(queryVectors[q]!, paperVectors.get(id)!)]));
      return scoreFusion(hits, similarity, HYBRID_SEMANTIC_WEIGHT);
    });

  const lexical: SearchHit[][] = [];
  for (const q of judgedQueries) lexical.push(await searchLexical(db, { text: q.text, limit: DEPTH }));
  const results: Record<string, unknown> = {
    'no feedback': { lexical: ndcgByHalves(lexical), hybrid: ndcgByHalves(hybrid(lexical)) },
  };
  for (const feedbackPapers of [5, 10]) {
    for (const count of [10, 20]) {
      const expanded: SearchHit[][] = [];
      for (const [q, query] of judgedQueries.entries()) {
        const feedback = lexical[q]!.slice(0, feedbackPapers).map((h) => ({ words: words.get(h.id)!, score: h.score }));
        const terms = expansionTerms(feedback, new Set(analyze(query.text)), count);
        expanded.push(
          terms.length === 0 ? [] : await searchLexical(db, { text: terms.map((t) => t.word).join(' '), limit: DEPTH }),
        );
      }
      for (const weight of [0.1, 0.2, 0.4]) {
        const fused = lexical.map((hits, q) => {
          const best = hits[0]?.score ?? 1;
          const expansionBest = expanded[q]![0]?.score ?? 1;
          const scores = new Map(hits.map((h) => [h.id, h.score / best]));
          for (const h of expanded[q]!) scores.set(h.id, (scores.get(h.id) ?? 0) + (weight * h.score) / expansionBest);
          return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
        });
        results[`rm3 papers=${feedbackPapers} terms=${count} weight=${weight}`] = {
          lexical: ndcgByHalves(fused),
          hybrid: ndcgByHalves(hybrid(fused)),
        };
      }
    }
  }
  process.stdout.write(
    `${JSON.stringify({ dataset: 'scifact-train', embedding_model: embedder.modelId, ndcg10: results }, null, 1)}\n`,
  );
} finally {
  await site.close();
}
