/**
 * "For you" quality on csfcube-dev (`npm run eval`): imports its 4,205 papers as `csfcube:<id>` into
 * a fresh SQLite database and embeds them; for each of its 26 query-facet pairs a new member upvotes
 * the query paper and 3 of its grade ≥ 2 candidates (drawn with a fixed seed), and the rest of the
 * judged pool is ranked for them by the recommender's own ranking (recommend/for-you.ts
 * rankPapersFor, reading the member's votes from the database). nDCG@20 with the grades as gains,
 * averaged over the pairs. The anchor, in the same run on the same likes, is arxiv-sanity-lite's
 * method (eval/_arxiv-sanity.ts): a linear SVM on tf-idf, trained on the liked papers against the
 * whole corpus. Prints a line each and returns the figures.
 */
import { pathToFileURL } from 'node:url';
import { type MemberTaste, memberTaste, rankPapersFor } from '../src/recommend/for-you.js';
import { WEIGHTS, type Weights } from '../src/recommend/profile.js';
import { gradedNdcgAt } from '../src/search/metrics.js';
import { createUser } from '../src/store/users.js';
import { setVote } from '../src/store/votes.js';
import { SeededRandom } from '../test/helpers/random.js';
import { linearSvmScores, tfIdfMatrix } from './_arxiv-sanity.js';
import { embeddedSite, readJudgedCorpus } from './_judged-corpus.js';

const SEED = 13;
const LIKED_CANDIDATES = 3;
const DEPTH = 20;

export interface RecommendationEval {
  dataset: string;
  papers: number;
  readers: number;
  ndcg20: number;
  anchor_ndcg20: number;
  ratio: number;
  weights_tried: Record<string, number>;
}

export async function evaluateRecommendations(): Promise<RecommendationEval> {
  const {
    papers,
    queries,
    grades: pools,
  } = readJudgedCorpus<{ qid: string; query_paper_id: string }>('csfcube-dev', 'csfcube');
  const random = new SeededRandom(SEED);
  const readers = queries.map((q) => {
    const pool = pools.get(q.qid)!;
    const query = `csfcube:${q.query_paper_id}`;
    const good = [...pool].filter(([id, grade]) => grade >= 2 && id !== query).map(([id]) => id);
    const picked: string[] = [];
    while (picked.length < LIKED_CANDIDATES && good.length > 0)
      picked.push(good.splice(random.int(0, good.length - 1), 1)[0]!);
    const liked = [query, ...picked];
    const rest = new Map([...pool].filter(([id]) => !liked.includes(id)));
    return { qid: q.qid, liked, rest };
  });

  const site = await embeddedSite(papers);
  const { db, ctx } = site;
  try {
    const tastes: MemberTaste[] = [];
    for (const [i, reader] of readers.entries()) {
      const user = await createUser(db, {
        email: `reader${i}@example.org`,
        username: `reader${i}`,
        passwordHash: null,
      });
      for (const id of reader.liked) await setVote(db, user.id, id, true);
      tastes.push(await memberTaste(ctx, user.id));
    }
    const meanNdcg = async (weights: Weights) => {
      let sum = 0;
      for (const [i, reader] of readers.entries()) {
        const ranked = await rankPapersFor(ctx, tastes[i]!, [...reader.rest.keys()], new Map(), weights);
        sum += gradedNdcgAt(
          ranked.map((r) => r.id),
          reader.rest,
          DEPTH,
        );
      }
      return sum / readers.length;
    };
    const ndcg20 = await meanNdcg(WEIGHTS);
    const tried: Record<string, number> = {};
    for (const [name, weights] of Object.entries({
      'vector profile only': { ...WEIGHTS, lexicalProfile: 0, nearestLiked: 0 },
      'word profile only': { ...WEIGHTS, vectorProfile: 0, nearestLiked: 0 },
      'both profiles, no nearest': { ...WEIGHTS, nearestLiked: 0 },
      'nearest ×2': { ...WEIGHTS, nearestLiked: WEIGHTS.nearestLiked * 2 },
      'vector ×2': { ...WEIGHTS, vectorProfile: WEIGHTS.vectorProfile * 2 },
      'words ×2': { ...WEIGHTS, lexicalProfile: WEIGHTS.lexicalProfile * 2 },
    }))
      tried[name] = round(await meanNdcg(weights));

    // The anchor: one tf-idf matrix over the corpus, one SVM per reader.
    const index = new Map(papers.map((p, i) => [p.id, i]));
    const matrix = tfIdfMatrix(papers.map((p) => `${p.title} ${p.abstract}`));
    let anchor = 0;
    for (const reader of readers) {
      const scores = linearSvmScores(matrix, new Set(reader.liked.map((id) => index.get(id)!)));
      const ranked = [...reader.rest.keys()].sort((a, b) => scores[index.get(b)!]! - scores[index.get(a)!]!);
      anchor += gradedNdcgAt(ranked, reader.rest, DEPTH);
    }
    anchor /= readers.length;
    return {
      dataset: 'csfcube-dev',
      papers: papers.length,
      readers: readers.length,
      ndcg20: round(ndcg20),
      anchor_ndcg20: round(anchor),
      ratio: round(ndcg20 / anchor),
      weights_tried: tried,
    };
  } finally {
    await site.close();
  }
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await evaluateRecommendations();
  process.stdout.write(
    `csfcube-dev "For you": nDCG@20 ${result.ndcg20.toFixed(4)}, arxiv-sanity-lite SVM anchor ${result.anchor_ndcg20.toFixed(4)} (×${result.ratio.toFixed(2)})\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
