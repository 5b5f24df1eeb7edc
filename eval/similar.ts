/**
 * Similar papers on csfcube-dev (query by example): imports its 4,205 papers as `s2:<id>` into a
 * fresh SQLite database, embeds them, asks each of its 17 query papers for its 100 most similar, and
 * scores the lists against the 26 query-facet judgments: nDCG@20 over each query's judged pool
 * (unjudged papers dropped, graded gains). The anchor, in the same run: tf-idf cosine over title
 * and abstract (sublinear tf, smoothed idf, stemmed words), what arxiv-sanity-lite ranks by. Also
 * prints the tunings tried and the median time of one ask.
 */
import { readFileSync } from 'node:fs';
import { SIMILAR_TUNING, similarPapers, type SimilarTuning } from '../src/recommend/similar.js';
import { paperText } from '../src/search/embedder.js';
import { embedPendingPapers } from '../src/search/embed-job.js';
import { analyze } from '../src/search/lsa.js';
import { gradedNdcgAt } from '../src/search/metrics.js';
import { upsertPapers } from '../src/store/papers.js';
import { testContext } from '../test/helpers/context.js';
import { freshSqlite } from '../test/helpers/db.js';

const DATA = new URL('../../shared/data/csfcube-dev/', import.meta.url);
const DEPTH = 100;
const K = 20;

const lines = (file: string) =>
  readFileSync(new URL(file, DATA), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
const corpus = lines('corpus.jsonl').map((l) => JSON.parse(l) as { id: string; title: string; abstract: string });
const queries = lines('queries.jsonl').map((l) => JSON.parse(l) as { qid: string; query_paper_id: string });
const grades = new Map<string, Map<string, number>>();
for (const line of lines('qrels.tsv')) {
  const [qid, docId, grade] = line.split('\t');
  if (!grades.has(qid!)) grades.set(qid!, new Map());
  grades.get(qid!)!.set(`s2:${docId}`, Number(grade));
}
const papers = new Map(corpus.map((d) => [`s2:${d.id}`, { id: `s2:${d.id}`, title: d.title, abstract: d.abstract }]));
const queryPapers = [...new Set(queries.map((q) => `s2:${q.query_paper_id}`))];

/** Mean nDCG@20 over the query-facet pairs, from one ranking per query paper. */
function score(rankings: Map<string, string[]>): number {
  const total = queries.reduce(
    (sum, q) => sum + gradedNdcgAt(rankings.get(`s2:${q.query_paper_id}`)!, grades.get(q.qid)!, K),
    0,
  );
  return Math.round((total / queries.length) * 10_000) / 10_000;
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

const db = await freshSqlite();
const ctx = testContext(db);
try {
  await upsertPapers(
    db,
    [...papers.values()].map((p) => ({ ...p, authors: [], categories: [], publishedOn: null })),
  );
  const run = await embedPendingPapers(ctx);
  await ctx.vectorIndexes.active(db);

  const rankWith = async (tuning: SimilarTuning) => {
    const rankings = new Map<string, string[]>();
    const times: number[] = [];
    for (const id of queryPapers) {
      const started = performance.now();
      const hits = await similarPapers(ctx, papers.get(id)!, DEPTH, tuning);
      times.push(performance.now() - started);
      rankings.set(
        id,
        hits.map((h) => h.id),
      );
    }
    times.sort((a, b) => a - b);
    return { ndcg20: score(rankings), p50_ms: Math.round(times[times.length >> 1]! * 10) / 10 };
  };

  const anchor = score(tfidfRankings());
  const product = await rankWith(SIMILAR_TUNING);
  const grid: Record<string, number> = {};
  for (const words of [0, 8, 15, 25])
    for (const semanticWeight of [0, 1, 2, 4, 8]) {
      if (words === 0 && semanticWeight !== 1) continue;
      grid[`words=${words} semantic=${semanticWeight}`] = (
        await rankWith({ ...SIMILAR_TUNING, words, semanticWeight })
      ).ndcg20;
    }

  process.stdout.write(
    `csfcube-dev: ${papers.size} papers, ${queries.length} query facets over ${queryPapers.length} papers; nDCG@${K} over the judged pool\n\n`,
  );
  process.stdout.write(`ranking                           nDCG@20  × anchor\n`);
  process.stdout.write(`tf-idf cosine (anchor)            ${anchor.toFixed(4)}   1.00\n`);
  process.stdout.write(
    `similar papers (default)          ${product.ndcg20.toFixed(4)}   ${(product.ndcg20 / anchor).toFixed(2)}\n\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      dataset: 'csfcube-dev',
      papers: papers.size,
      query_facets: queries.length,
      embedding_model: run.modelId,
      anchor: { what: 'tf-idf cosine over title and abstract', ndcg20: anchor },
      similar: { ...SIMILAR_TUNING, ...product, ratio_to_anchor: Math.round((product.ndcg20 / anchor) * 100) / 100 },
      tuning_grid: grid,
    })}\n`,
  );
} finally {
  await ctx.close();
  await db.close();
}
