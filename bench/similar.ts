/**
 * Similar papers on the 96,789-paper corpus in SQLite, in process: p50/p99 of one ask for 10 similar
 * papers (the API's default) for an even spread of papers, each asked once (so its candidates' words
 * are mostly not cached yet), and of its parts on the same papers: the nearest-vector query (the anchor:
 * what any similar-papers ranking needs), the "more like this" query, and reading the candidates'
 * words and ranking them (search/paper-similarity.ts); and the same ask again (a popular paper's page,
 * answered from the recent answers).
 */
import { appContextAround } from '../src/app/context.js';
import { loadConfig } from '../src/config/index.js';
import { importJsonl } from '../src/ingest/jsonl.js';
import { createLogger } from '../src/logger.js';
import { SIMILAR_TUNING, similarPapers } from '../src/recommend/similar.js';
import { embedPendingPapers } from '../src/search/embed-job.js';
import { moreLikeThis } from '../src/search/more-like-this.js';
import { paperWords, rankBySimilarity, Vocabulary } from '../src/search/paper-similarity.js';
import { nearestPapers, similarities } from '../src/search/semantic.js';
import { activeEmbeddingModel, vectorsOfPapers } from '../src/store/embeddings.js';
import { visiblePaperTexts } from '../src/store/papers.js';
import { freshSqlite } from '../test/helpers/db.js';
import { ARXIV_97K, printResult, round } from './_common.js';
import { percentiles } from './lib/search-queries.js';

const ASKS = 300;
const WARM_UP = 30;
const LIMIT = 10;

const db = await freshSqlite();
const config = loadConfig({ LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false', PAGE_CACHE_MS: '0' });
const ctx = appContextAround({ db, config, logger: createLogger('silent') });
try {
  await importJsonl(db, ARXIV_97K);
  await embedPendingPapers(ctx);
  await ctx.vectorIndexes.active(db);
  const model = (await activeEmbeddingModel(db))!;
  const papers = await db.kysely
    .selectFrom('papers')
    .select(['id', 'title', 'abstract'])
    .where('hidden', '=', 0)
    .orderBy('id')
    .execute();
  const step = Math.floor(papers.length / (ASKS + WARM_UP));
  const spread = papers.filter((_, i) => i % step === 0).slice(0, ASKS + WARM_UP);
  const times: Record<
    'similar' | 'similar_asked_again' | 'nearest_anchor' | 'more_like_this' | 'words_and_ranking',
    number[]
  > = {
    similar: [],
    similar_asked_again: [],
    nearest_anchor: [],
    more_like_this: [],
    words_and_ranking: [],
  };
  let candidates = 0;
  const vocabulary = new Vocabulary();
  for (const [i, paper] of spread.entries()) {
    const timed = async <T>(part: keyof typeof times, work: () => Promise<T> | T): Promise<T> => {
      const started = performance.now();
      const result = await work();
      if (i >= WARM_UP) times[part].push(performance.now() - started);
      return result;
    };
    // The parts first, on a different paper than the whole ask, so neither warms the other's words.
    const other = spread[(i + spread.length / 2) % spread.length]!;
    const vector = (await vectorsOfPapers(db, model.id, [other.id])).get(other.id)!.vector;
    const depth = SIMILAR_TUNING.depth;
    const nearest = await timed('nearest_anchor', () =>
      nearestPapers(ctx, vector, { limit: depth, exclude: other.id, waitForIndex: false }),
    );
    const lexical = await timed('more_like_this', () =>
      moreLikeThis(db, other, { words: SIMILAR_TUNING.words, limit: depth }),
    );
    await timed('words_and_ranking', async () => {
      const found = new Set(nearest.map((n) => n.id));
      const lexicalOnly = lexical.filter((h) => !found.has(h.id)).map((h) => h.id);
      const semantic = await similarities(db, model.id, vector, lexicalOnly);
      for (const n of nearest) semantic.set(n.id, n.score);
      const texts = await visiblePaperTexts(db, [...found, ...lexicalOnly]);
      candidates += texts.length;
      return rankBySimilarity(
        paperWords(other, vocabulary),
        texts.map((t) => ({ id: t.id, words: paperWords(t, vocabulary), vectorSimilarity: semantic.get(t.id) ?? 0 })),
        SIMILAR_TUNING.weights,
      );
    });
    await timed('similar', () => similarPapers(ctx, paper, LIMIT));
    await timed('similar_asked_again', () => similarPapers(ctx, paper, LIMIT));
  }
  const summary = Object.fromEntries(Object.entries(times).map(([part, values]) => [part, percentiles(values)]));
  printResult({
    bench: 'similar',
    corpus: 'arxiv-97k',
    dialect: 'sqlite',
    papers: papers.length,
    asks: times.similar.length,
    limit: LIMIT,
    candidates_per_ask: round(candidates / spread.length, 1),
    ...summary,
    similar_p50_over_anchor: round(summary.similar!.p50_ms / summary.nearest_anchor!.p50_ms),
    target: { similar_p50_ms: 20 },
  });
} finally {
  await ctx.close();
  await db.close();
}
