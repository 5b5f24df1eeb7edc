import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { corpusSample } from '../store/embeddings.js';
import { countPapers } from '../store/papers.js';
import {
  replaceTermStatistics,
  termDocumentFrequencies,
  termStatisticsPapers,
  type TermStatistics,
} from '../store/term-statistics.js';
import { paperText } from './embedder.js';
import { searchAnyWord } from './lexical.js';
import { contentWords } from './lsa.js';
import type { SearchHit } from './types.js';

/** Words counted over at most this many papers (an even spread): enough to tell rare from common. */
const SAMPLE_PAPERS = 20_000;
/** Words in fewer sampled papers than this are left out of the table: rare, and read as rare when missing. */
const MIN_DOCUMENTS = 2;

/** In how many of an even sample of the texts each stemmed word occurs (words in fewer than 2 left out). */
export function countTermDocuments(texts: string[], samplePapers = SAMPLE_PAPERS): TermStatistics {
  const step = Math.max(1, texts.length / samplePapers);
  const documents = new Map<string, number>();
  let papers = 0;
  for (let i = 0; i < texts.length; i += step) {
    papers++;
    for (const term of new Set(contentWords(texts[Math.floor(i)]!).map((w) => w.term)))
      documents.set(term, (documents.get(term) ?? 0) + 1);
  }
  for (const [term, count] of documents) if (count < MIN_DOCUMENTS) documents.delete(term);
  return { papers, documents };
}

/**
 * Counts the words again when there are none yet or the corpus has doubled since (the refit rule of
 * the corpus-learned embedder: new fields bring new words, and the total work stays linear).
 */
export async function refreshTermStatistics(db: Db, logger?: Logger): Promise<void> {
  const [counted, papers] = await Promise.all([termStatisticsPapers(db), countPapers(db)]);
  if (papers === 0 || (counted > 0 && papers < 2 * counted)) return;
  const started = performance.now();
  const statistics = countTermDocuments((await corpusSample(db, SAMPLE_PAPERS)).texts.map(paperText));
  await replaceTermStatistics(db, statistics);
  logger?.info(
    {
      papers: statistics.papers,
      terms: statistics.documents.size,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    },
    'word statistics for similar papers counted',
  );
}

/**
 * A text's most distinctive words, as written in it (one form per stem): by (1 + ln tf) × idf, a word
 * the sample never counted twice read as rare. Ties by the word, so a paper always asks the same.
 */
export function distinctiveWords(text: string, statistics: TermStatistics, count: number): string[] {
  const byTerm = new Map<string, { word: string; tf: number }>();
  for (const { word, term } of contentWords(text)) {
    const seen = byTerm.get(term);
    if (seen) seen.tf++;
    else byTerm.set(term, { word, tf: 1 });
  }
  const idf = (term: string) => Math.log((statistics.papers + 1) / ((statistics.documents.get(term) ?? 1) + 1)) + 1;
  return [...byTerm]
    .map(([term, { word, tf }]) => ({ word, weight: (1 + Math.log(tf)) * idf(term) }))
    .sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : 1))
    .slice(0, count)
    .map((w) => w.word);
}

/**
 * "More like this": the papers with any of a paper's most distinctive words, by BM25, the paper
 * itself left out. Distinctive words are rare, so the query reads short posting lists even at 97k.
 */
export async function moreLikeThis(
  db: Db,
  paper: { id: string; title: string; abstract: string },
  options: { words: number; limit: number },
): Promise<SearchHit[]> {
  const text = paperText(paper);
  const statistics = await termDocumentFrequencies(db, [...new Set(contentWords(text).map((w) => w.term))]);
  const words = distinctiveWords(text, statistics, options.words);
  const hits = await searchAnyWord(db, words, options.limit + 1);
  return hits.filter((h) => h.id !== paper.id).slice(0, options.limit);
}
