/**
 * Similar papers on csfcube-dev (query by example): imports its 4,205 papers as `s2:<id>` into a
 * fresh SQLite database, embeds them, asks each of its 17 query papers for its 100 most similar, and
 * scores the lists against the 26 query-facet judgments: nDCG@20 over each query's judged pool
 * (unjudged papers dropped, graded gains). The anchor, in the same run: tf-idf cosine over title
 * and abstract (sublinear tf, smoothed idf, stemmed words), what arxiv-sanity-lite ranks by. Also
 * prints the tunings tried and the median time of one ask.
 */
import { SIMILAR_TUNING, similarPapers, type SimilarTuning } from '../src/recommend/similar.js';
import { paperText } from '../src/search/embedder.js';
import { analyze } from '../src/search/lsa.js';
import { gradedNdcgAt } from '../src/search/metrics.js';
import { embeddedSite, readJudgedCorpus } from './_judged-corpus.js';

const DEPTH = 100;
/** The API's default number of similar papers. */
const DEFAULT_LIMIT = 10;
const K = 20;

const judged = readJudgedCorpus<{ qid: string; query_paper_id: string }>('csfcube-dev', 's2');
const { queries, grades } = judged;
const papers = new Map(judged.papers.map((p) => [p.id, p]));
const queryPapers = [...new Set(queries.map((q) => `s2:${q.query_paper_id}`))];

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Mean nDCG@20 over the query-facet pairs, from one ranking per query paper. */
function score(rankings: Map<string, string[]>): number {
  return halves(rankings).all;
}

/** Mean nDCG@20 over all pairs and over the first and last 13 (to tell a gain from over-fitting). */
function halves(rankings: Map<string, string[]>): { all: number; first: number; last: number } {
  const each = queries.map((q) => gradedNdcgAt(rankings.get(`s2:${q.query_paper_id}`)!, grades.get(q.qid)!, K));
  const mean = (xs: number[]) => round(xs.reduce((sum, x) => sum + x, 0) / xs.length);
  const half = Math.ceil(each.length / 2);
  return { all: mean(each), first: mean(each.slice(0, half)), last: mean(each.slice(half)) };
}

/** The anchor: cosine of sublinear tf-idf vectors over title and abstract, the query paper left out. */
function tfidfRankings(): Map<string, string[]> {
  const ids = [...papers.keys()];
  const termCounts = ids.map((id) => {
    const counts = new Map<string, number>();
    for (const term of analyze(paperText(papers.get(id)!))) counts.set(term, (counts.get(term) ?? 0) + 1);
    return counts;
  });
  const documents = new Map<string, number>();
  for (const counts of termCounts)
    for (const term of counts.keys()) documents.set(term, (documents.get(term) ?? 0) + 1);
  const vectors = termCounts.map((counts) => {
    const weights = new Map(
      [...counts].map(([t, n]) => [t, (1 + Math.log(n)) * (Math.log((ids.length + 1) / (documents.get(t)! + 1)) + 1)]),
    );
    const norm = Math.hypot(...weights.values()) || 1;
    for (const [t, w] of weights) weights.set(t, w / norm);
    return weights;
  });
  const rankings = new Map<string, string[]>();
  for (const queryId of queryPapers) {
    const query = vectors[ids.indexOf(queryId)]!;
    const scored = ids.flatMap((id, i) => {
      if (id === queryId) return [];
      let cosine = 0;
      for (const [t, w] of query) cosine += w * (vectors[i]!.get(t) ?? 0);
      return [{ id, cosine }];
    });
    scored.sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : 1));
    rankings.set(
      queryId,
      scored.slice(0, DEPTH).map((s) => s.id),
    );
  }
  return rankings;
}

const site = await embeddedSite(judged.papers);
const { db, ctx, embedding: run } = site;
try {
  await ctx.vectorIndexes.active(db);

  /** Each query paper's similar papers, and the median time of one ask. */
  const ask = async (tuning: SimilarTuning, limit: number) => {
    const rankings = new Map<string, string[]>();
    const times: number[] = [];
    for (const id of queryPapers) {
      const started = performance.now();
      const hits = await similarPapers(ctx, papers.get(id)!, limit, tuning);
      times.push(performance.now() - started);
      rankings.set(
        id,
        hits.map((h) => h.id),
      );
    }
    times.sort((a, b) => a - b);
    return { rankings, p50_ms: Math.round(times[times.length >> 1]! * 10) / 10 };
  };
  const rankWith = async (tuning: SimilarTuning) => {
    const { rankings, p50_ms } = await ask(tuning, DEPTH);
    const { all, first, last } = halves(rankings);
    return { ndcg20: all, halves: [first, last], p50_ms };
  };

  // The API's default ask (10; a page's five cost the same) while the query papers' words are not cached
  // yet, after as many asks for other papers to warm the code.
  for (const paper of judged.papers.slice(0, queryPapers.length)) await similarPapers(ctx, paper, DEFAULT_LIMIT);
  const defaultAsk = (await ask(SIMILAR_TUNING, DEFAULT_LIMIT)).p50_ms;

  const anchorRankings = tfidfRankings();
  const anchor = score(anchorRankings);
  const anchorHalves = halves(anchorRankings);
  const product = await rankWith(SIMILAR_TUNING);
  const grid: Record<string, string> = {};
  const tried = (tuning: SimilarTuning) => rankWith(tuning).then((r) => `${r.ndcg20} (${r.halves.join(' / ')})`);
  for (const [words, vectors, sentences] of [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [1, 0.5, 0],
    [1, 0, 0.5],
    [1, 0, 1],
    [1, 0.5, 0.5],
    [1, 0.5, 1],
    [1, 1, 1],
  ] as const)
    grid[`words=${words} vectors=${vectors} sentences=${sentences}`] = await tried({
      ...SIMILAR_TUNING,
      weights: { words, vectors, sentences },
    });
  for (const moreLikeThisWords of [0, 8, 15])
    grid[`more-like-this words=${moreLikeThisWords}`] = await tried({ ...SIMILAR_TUNING, words: moreLikeThisWords });

  process.stdout.write(
    `csfcube-dev: ${papers.size} papers, ${queries.length} query facets over ${queryPapers.length} papers; nDCG@${K} over the judged pool\n\n`,
  );
  process.stdout.write(`ranking                           nDCG@20  × anchor\n`);
  process.stdout.write(
    `tf-idf cosine (anchor)            ${anchor.toFixed(4)}   1.00      halves ${anchorHalves.first.toFixed(4)} / ${anchorHalves.last.toFixed(4)}\n`,
  );
  process.stdout.write(
    `similar papers (default)          ${product.ndcg20.toFixed(4)}   ${(product.ndcg20 / anchor).toFixed(2)}      halves ${product.halves.map((h) => h.toFixed(4)).join(' / ')}; p50 ${defaultAsk} ms asking 10, ${product.p50_ms} ms asking 100\n\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      dataset: 'csfcube-dev',
      papers: papers.size,
      query_facets: queries.length,
      embedding_model: run.modelId,
      anchor: {
        what: 'tf-idf cosine over title and abstract',
        ndcg20: anchor,
        halves: [anchorHalves.first, anchorHalves.last],
      },
      similar: {
        ...SIMILAR_TUNING,
        ...product,
        p50_ms_asking_10: defaultAsk,
        ratio_to_anchor: Math.round((product.ndcg20 / anchor) * 100) / 100,
      },
      tuning_grid: grid,
    })}\n`,
  );
} finally {
  await site.close();
}
