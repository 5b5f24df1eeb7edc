/**
 * scifact-train's judged queries and nDCG@10 over them all and over each half (odd and even query
 * ids): a tuning that helps only one half is fitting noise, and held-out queries will not reward it.
 */
import { ndcgAt } from '../src/search/metrics.js';
import type { SearchHit } from '../src/search/types.js';
import { readJudgedCorpus } from './_judged-corpus.js';

export const scifact = readJudgedCorpus<{ qid: string; text: string }>('scifact-train', 'scifact');
/** Query id → the papers judged relevant to it (grade above 0). */
export const judgments = new Map(
  [...scifact.grades]
    .map(([qid, graded]) => [qid, new Set([...graded].filter(([, grade]) => grade > 0).map(([id]) => id))] as const)
    .filter(([, relevant]) => relevant.size > 0),
);
export const judgedQueries = scifact.queries.filter((q) => judgments.has(q.qid));

export interface HalvesScore {
  all: number;
  odd: number;
  even: number;
}

/** Mean nDCG@10 of one ranking per judged query (in judgedQueries' order), overall and per half. */
export function ndcgByHalves(rankings: SearchHit[][]): HalvesScore {
  const mean = (half: number | null) => {
    let sum = 0;
    let count = 0;
    rankings.forEach((hits, i) => {
      const qid = judgedQueries[i]!.qid;
      if (half !== null && Number(qid) % 2 !== half) return;
      sum += ndcgAt(
        hits.map((h) => h.id),
        judgments.get(qid)!,
        10,
      );
      count++;
    });
    return Math.round((sum / count) * 10_000) / 10_000;
  };
  return { all: mean(null), odd: mean(1), even: mean(0) };
}
