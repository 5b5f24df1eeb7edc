import { LRUCache } from 'lru-cache';
import type { Db } from '../db/connection.js';
import { paperText } from '../search/embedder.js';
import { SearchModeUnavailable } from '../search/errors.js';
import { moreLikeThis } from '../search/more-like-this.js';
import {
  type PaperWords,
  paperWords,
  rankBySimilarity,
  type SimilarityCandidate,
  type SimilarityWeights,
  Vocabulary,
} from '../search/paper-similarity.js';
import { embedQuery, nearestPapers, similarities } from '../search/semantic.js';
import type { SearchContext, SearchHit } from '../search/types.js';
import { activeEmbeddingModel, vectorsOfPapers } from '../store/embeddings.js';
import { type Paper, visiblePaperIds, visiblePaperTexts } from '../store/papers.js';

/** How similar papers are found and ranked; the defaults were tuned on csfcube-dev (`npm run eval`). */
export interface SimilarTuning {
  /** The paper's most distinctive words its "more like this" query asks for. */
  words: number;
  /** Candidates read from each side (nearest vectors, "more like this") before ranking. */
  depth: number;
  /** How the candidates are ranked (see rankBySimilarity). */
  weights: SimilarityWeights;
}

/**
 * Chosen on csfcube-dev (`npm run eval -- similar` prints the grid, by halves of the queries): words
 * and sentence matches at equal weight, vectors at half, lifted both halves over the tf-idf anchor.
 * More "more like this" words cost time at 97k papers for candidates the vectors mostly bring anyway:
 * 4 words score as 8 do (0.5732 against 0.5681, one half up and one a little down) and their query
 * takes a third of the time (p50 4.5 against 14 ms), 15 words five times as long as 8.
 */
export const SIMILAR_TUNING: SimilarTuning = { words: 4, depth: 50, weights: { words: 1, vectors: 0.5, sentences: 1 } };

/**
 * Stemmed words of recently ranked papers, keyed by their text (an edited paper is read afresh), and the
 * vocabulary they were read with: popular papers' neighbours recur, and reading words is most of a
 * request's cost. Some 5 KB a paper.
 */
class RecentWords {
  readonly vocabulary = new Vocabulary();
  private readonly papers = new LRUCache<string, PaperWords>({ max: 5_000 });

  of(paper: { title: string; abstract: string }): PaperWords {
    const key = paperText(paper);
    let words = this.papers.get(key);
    if (!words) {
      words = paperWords(paper, this.vocabulary);
      this.papers.set(key, words);
    }
    return words;
  }
}

/** A vocabulary this large (some 30 MB) starts afresh, with its papers, for the next request. */
const MAX_VOCABULARY = 300_000;
let recentWords = new RecentWords();

/** The words a request reads with, all of one vocabulary (a request that began before a fresh start keeps its own). */
function wordsForRequest(): RecentWords {
  if (recentWords.vocabulary.size >= MAX_VOCABULARY) recentWords = new RecentWords();
  return recentWords;
}

/**
 * Recent answers of a database, every candidate ranked, per paper and what it was ranked from: the model and its
 * revision (bumped whenever vectors are stored, so a newly embedded paper is considered) and the
 * paper's text (an edited paper is ranked afresh). Paper pages ask again for the same popular papers;
 * a repeat costs one visibility check instead of the ~20 ms ranking. Some 5 KB an answer; at most ten
 * minutes old, so a vector index that catches up after a revision is read within that.
 */
const recentAnswersOf = new WeakMap<Db, LRUCache<string, SearchHit[]>>();

function recentAnswers(db: Db): LRUCache<string, SearchHit[]> {
  let answers = recentAnswersOf.get(db);
  if (!answers) {
    answers = new LRUCache({ max: 2_000, ttl: 10 * 60_000 });
    recentAnswersOf.set(db, answers);
  }
  return answers;
}

/**
 * The visible papers most like this one, best first: candidates are its nearest vectors and its own
 * "more like this" query (its most distinctive words, by BM25), each ranked by how alike the two
 * papers' words, sentences and vectors are (search/paper-similarity.ts). A paper not embedded yet
 * (just ingested) is embedded on the fly; before any model exists, or while the vector index is
 * being built, there are none (pages never wait for it).
 */
export async function similarPapers(
  ctx: SearchContext,
  paper: Pick<Paper, 'id' | 'title' | 'abstract'>,
  limit: number,
  tuning: SimilarTuning = SIMILAR_TUNING,
): Promise<SearchHit[]> {
  const { db } = ctx;
  const model = await activeEmbeddingModel(db);
  if (!model) return [];
  // Candidates are read to a depth that grows with the ask: an answer serves asks of its own depth.
  const depth = Math.max(limit, tuning.depth);
  const key =
    tuning === SIMILAR_TUNING ? `${model.id}\0${model.revision}\0${depth}\0${paper.id}\0${paperText(paper)}` : null;
  const recent = key === null ? undefined : recentAnswers(db).get(key);
  if (recent && recent.length >= limit) {
    // A paper hidden since is left out; the answer holds every candidate, so the list stays full.
    const visible = await visiblePaperIds(
      db,
      recent.slice(0, 2 * limit).map((h) => h.id),
    );
    const hits = recent.filter((h) => visible.has(h.id)).slice(0, limit);
    if (hits.length === limit) return hits;
  }
  try {
    const stored = (await vectorsOfPapers(db, model.id, [paper.id])).get(paper.id);
    const vector = stored?.vector ?? (await embedQuery(ctx, paperText(paper))).vector;
    const words = wordsForRequest();
    const withWords = async (hits: SearchHit[]) =>
      (
        await visiblePaperTexts(
          db,
          hits.map((h) => h.id),
        )
      ).map((t) => ({ id: t.id, words: words.of(t) }));
    // "More like this" runs on a reader thread and the nearest vectors are found on the index's thread, both
    // at once; this thread reads each side's words as soon as its candidates arrive, while the lexical
    // candidates' vectors are read.
    const [lexical, nearest] = await Promise.all([
      moreLikeThis(db, paper, { words: tuning.words, limit: depth }).then(async (hits) => {
        const [papers, similarity] = await Promise.all([
          withWords(hits),
          similarities(
            db,
            model.id,
            vector,
            hits.map((h) => h.id),
          ),
        ]);
        return { papers, similarity };
      }),
      nearestPapers(ctx, vector, { limit: depth, exclude: paper.id, waitForIndex: false }).then(async (hits) => ({
        similarity: new Map(hits.map((h) => [h.id, h.score])),
        papers: await withWords(hits),
      })),
    ]);
    const candidates: SimilarityCandidate[] = [
      ...nearest.papers,
      ...lexical.papers.filter((c) => !nearest.similarity.has(c.id)),
    ].map((c) => ({ ...c, vectorSimilarity: nearest.similarity.get(c.id) ?? lexical.similarity.get(c.id) ?? 0 }));
    const ranked = rankBySimilarity(words.of(paper), candidates, tuning.weights);
    if (key !== null) recentAnswers(db).set(key, ranked);
    return ranked.slice(0, limit);
  } catch (error) {
    if (error instanceof SearchModeUnavailable) return [];
    throw error;
  }
}
