import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { searchLexical, type SearchHit } from '../search/lexical.js';
import { getPapers, latestFeaturedDay, listFeatured } from '../store/papers.js';
import { dailyPaperListJson, toDailyPaperJson, type DailyPaperJson } from './paper-json.js';
import { limitParam, textParam } from './params.js';
import { defineApiRoute, answers, noParameters } from './route.js';

/** The query of /api/papers/search; extend it (`.extend`) to add search options. */
export const paperSearchQuery = z.object({
  q: textParam(500, 'Words to look for in titles, abstracts and author names; without it, the latest featured papers').optional(),
  limit: limitParam(20),
});

/** Search hits as Hub list items, best first. */
export async function searchResults(db: Db, hits: SearchHit[]): Promise<DailyPaperJson[]> {
  const papers = await getPapers(db, hits.map((hit) => hit.id));
  return papers.map(toDailyPaperJson);
}

/** What `list_papers()` without a query gets: the latest featured day, as the feed orders it. */
async function latestFeatured(db: Db, limit: number): Promise<DailyPaperJson[]> {
  const day = await latestFeaturedDay(db);
  if (!day) return [];
  return (await listFeatured(db, { from: day, to: day, limit })).map(toDailyPaperJson);
}

export const paperSearchRoute = defineApiRoute({
  operationId: 'searchPapers',
  path: '/api/papers/search',
  urls: ['/api/papers/search'],
  summary: 'Search papers by keyword',
  description: 'Compatible with the Hugging Face Hub (`HfApi.list_papers`). Ranked by BM25, title matches above abstract matches.',
  params: noParameters,
  query: paperSearchQuery,
  responses: [
    answers.ok('Matching papers, best first', dailyPaperListJson),
    answers.badRequest('q is too long or limit is out of range'),
  ],
  cacheSeconds: 60,
  async handle({ query }, { db }) {
    if (!query.q?.trim()) return latestFeatured(db, query.limit);
    return searchResults(db, await searchLexical(db, { text: query.q, limit: query.limit }));
  },
});
