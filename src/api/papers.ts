import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { getPaper, type Paper } from '../store/papers.js';
import { paperJson, toPaperJson } from './paper-json.js';
import { paperIdParam } from '../http/params.js';
import { defineApiRoute, answers } from './route.js';
import { HttpError } from '../errors.js';

/** A visible paper by its canonical id, or a 404 the client can read. */
export async function findVisiblePaper(db: Db, id: string): Promise<Paper> {
  const paper = await getPaper(db, id);
  if (!paper || paper.hidden) throw new HttpError(404, `no paper with id ${id}`);
  return paper;
}

export const paperRoute = defineApiRoute({
  method: 'GET',
  operationId: 'getPaper',
  path: '/api/papers/{id}',
  // A wildcard, because old-style arXiv ids (hep-th/9901001) and DOIs contain a slash.
  urls: ['/api/papers/*'],
  readParams: (raw) => ({ id: raw['*'] }),
  summary: 'One paper',
  description: 'Compatible with the Hugging Face Hub (`HfApi.paper_info`). A versioned id answers with the paper.',
  params: z.object({ id: paperIdParam }),
  responses: [
    answers.ok('The paper', paperJson),
    answers.badRequest('The id is not an arXiv id or source:id'),
    answers.notFound('No such paper here'),
  ],
  cacheSeconds: 60,
  shared: true,
  async handle({ params }, { db, config }) {
    return toPaperJson(await findVisiblePaper(db, params.id), config.BASE_URL);
  },
});
