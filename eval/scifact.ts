/**
 * Search quality on scifact-train (`npm run eval`): imports its 5,183 abstracts as `scifact:<id>`
 * into a fresh SQLite database, embeds them, runs its 809 queries in each mode and scores the
 * rankings against its judgments: nDCG@10 and Recall@100. Prints a table, then one JSON object
 * (with the fusion settings tried, which is how the hybrid's were chosen).
 */
import { reciprocalRankFusion, scoreFusion, weightedScoreFusion } from '../src/search/fusion.js';
import { embedQuery, similarities } from '../src/search/semantic.js';
import { ndcgAt, recallAt } from '../src/search/metrics.js';
import { DEFAULT_SEARCH_MODE, HYBRID_SEMANTIC_WEIGHT, searchPapers } from '../src/search/search.js';
import { SEARCH_MODES, type SearchHit, type SearchMode } from '../src/search/types.js';
import { embeddedSite } from './_judged-corpus.js';
import { judgedQueries, judgments, scifact } from './_scifact-halves.js';

const DEPTH = 100;

const { papers } = scifact;
const judged = judgedQueries;

function score(rankings: SearchHit[][]): { ndcg10: number; recall100: number } {
  let ndcg = 0;
  let recall = 0;
  rankings.forEach((hits, i) => {
    const relevant = judgments.get(judged[i]!.qid)!;
    const ids = hits.map((h) => h.id);
    ndcg += ndcgAt(ids, relevant, 10);
    recall += recallAt(ids, relevant, 100);
  });
  const round = (x: number) => Math.round((x / rankings.length) * 10_000) / 10_000;
  return { ndcg10: round(ndcg), recall100: round(recall) };
}

const site = await embeddedSite(papers);
const { db, ctx, embedding: run, embedSeconds } = site;
try {
  const rankings = {} as Record<SearchMode, SearchHit[][]>;
  const seconds = {} as Record<SearchMode, number>;
  for (const mode of SEARCH_MODES) {
    const started = performance.now();
    rankings[mode] = [];
    for (const q of judged) rankings[mode].push(await searchPapers(ctx, { text: q.text, mode, limit: DEPTH }));
    seconds[mode] = (performance.now() - started) / 1000;
  }

  // The fusion settings tried on the same two rankings.
  const grid: Record<string, { ndcg10: number; recall100: number }> = {};
  for (const k of [10, 30, 60, 100]) {
    for (const w of [0.3, 0.5, 0.7, 1]) {
      grid[`rrf k=${k} semantic=${w}`] = score(
        judged.map((_, i) =>
          reciprocalRankFusion(
            [
              { hits: rankings.lexical[i]!, weight: 1 },
              { hits: rankings.semantic[i]!, weight: w },
            ],
            k,
          ),
        ),
      );
    }
  }
  const candidateScores: Map<string, number>[] = [];
  for (const [i, q] of judged.entries()) {
    const query = await embedQuery(ctx, q.text);
    const ids = [...new Set([...rankings.lexical[i]!, ...rankings.semantic[i]!].map((h) => h.id))];
    candidateScores.push(await similarities(db, query.modelId, query.vector, ids));
  }
  for (const w of [0.05, 0.1, 0.2, 0.3, 0.5, 1]) {
    grid[`scored semantic=${w}`] = score(
      judged.map((_, i) => scoreFusion(rankings.lexical[i]!, candidateScores[i]!, w)),
    );
  }
  for (const w of [0.2, 0.3, 0.5, 0.7, 1]) {
    grid[`weighted semantic=${w}`] = score(
      judged.map((_, i) =>
        weightedScoreFusion([
          { hits: rankings.lexical[i]!, weight: 1 },
          { hits: rankings.semantic[i]!, weight: w },
        ]),
      ),
    );
  }

  const modes = Object.fromEntries(
    SEARCH_MODES.map((mode) => [
      mode,
      { ...score(rankings[mode]), queries_per_s: Math.round(judged.length / seconds[mode]) },
    ]),
  );
  process.stdout.write(
    `scifact-train: ${papers.length} papers, ${judged.length} queries; default mode: ${DEFAULT_SEARCH_MODE}\n\n`,
  );
  process.stdout.write(`mode      nDCG@10  Recall@100  queries/s\n`);
  for (const mode of SEARCH_MODES) {
    const m = modes[mode]!;
    process.stdout.write(
      `${mode.padEnd(9)} ${m.ndcg10.toFixed(4).padStart(7)}  ${m.recall100.toFixed(4).padStart(10)}  ${String(m.queries_per_s).padStart(9)}\n`,
    );
  }
  process.stdout.write('\n');
  process.stdout.write(
    `${JSON.stringify({
      dataset: 'scifact-train',
      papers: papers.length,
      queries: judged.length,
      default_mode: DEFAULT_SEARCH_MODE,
      embedding_model: run.modelId,
      embed_seconds: Math.round(embedSeconds * 10) / 10,
      hybrid_semantic_weight: HYBRID_SEMANTIC_WEIGHT,
      modes,
      fusion_grid: grid,
    })}\n`,
  );
} finally {
  await site.close();
}
