import { z } from 'zod';
import { similarPapers } from '../recommend/similar.js';
import { findVisiblePaper } from './papers.js';
import { getPapers } from '../store/papers.js';
import { dailyPaperListJson, toDailyPaperJson } from './paper-json.js';
import { limitParam, paperIdParam } from '../http/params.js';
import { answers, defineApiRoute } from './route.js';

export const similarPapersRoute = defineApiRoute({
  method: 'GET',
  operationId: 'getSimilarPapers',
  path: '/api/papers/{id}/similar',
  // Two forms, because old-style arXiv ids (hep-th/9901001) and DOIs contain a slash.
  urls: ['/api/papers/:id/similar', '/api/papers/:prefix/:rest/similar'],
  readParams: (raw) => ({ id: raw.prefix !== undefined ? `${raw.prefix}/${raw.rest}` : raw.id }),
  summary: 'Papers similar to one paper',
  description:
    'The papers nearest in meaning (title and abstract embeddings), nearest first, as Hub list items. Empty until papers have vectors.',
  params: z.object({ id: paperIdParam }),
  query: z.object({ limit: limitParam(10) }),
  responses: [
    answers.ok('Similar papers, nearest first', dailyPaperListJson),
    answers.badRequest('The id is not a paper id, or limit is out of range'),
    answers.notFound('No such paper here'),
  ],
  cacheSeconds: 300,
  async handle({ params, query }, ctx) {
    const { db } = ctx;
    const paper = await findVisiblePaper(db, params.id);
    const hits = await similarPapers(ctx, paper, query.limit);
    return (
      await getPapers(
        db,
        hits.map((hit) => hit.id),
      )
    ).map((p) => toDailyPaperJson(p, ctx.config.BASE_URL));
  },
});
