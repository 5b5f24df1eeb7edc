import { z } from 'zod';
import { submitPaper } from '../community/submit.js';
import { paperPath } from '../markup/urls.js';
import { Answer, answers, apiSchemas, defineApiRoute, errorJson } from './route.js';

export const submitBody = z.object({
  id: z
    .string({ error: 'Give the paper as {"id": "2501.12345"} (an arXiv id or URL).' })
    .max(256, 'That id is too long.')
    .describe('An arXiv id or URL: 2501.12345, https://arxiv.org/abs/2501.12345v2'),
});

export const submissionJson = z
  .object({
    id: z.string(),
    title: z.string(),
    featuredOn: z.string().nullable().describe('The day (YYYY-MM-DD) the paper is featured on'),
    submittedBy: z.string().nullable().describe('Who submitted it first'),
    duplicate: z.boolean().describe('True when the paper was already featured: nothing changed'),
    url: z.string().describe('The paper’s page'),
  })
  .register(apiSchemas, { id: 'Submission' });

/**
 * POST /api/papers/submit {id}: 201 with the newly featured paper, or 200 with `duplicate: true`
 * pointing to the paper already featured.
 */
export const submitRoute = defineApiRoute({
  method: 'POST',
  operationId: 'submitPaper',
  path: '/api/papers/submit',
  urls: ['/api/papers/submit'],
  summary: 'Submit an arXiv paper to today’s list',
  description:
    'Metadata comes from this site or, when absent, from arXiv. Papers can be submitted within a window after publication, a few a day per member.',
  body: submitBody,
  member: 'submit papers',
  changesSharedAnswers: true,
  responses: [
    answers.created('Featured on today’s list', submissionJson),
    answers.ok('Already featured: the submission points to it', submissionJson),
    answers.badRequest('Not an arXiv id or URL, or published too long ago'),
    answers.unauthorized('No valid API token (or session)'),
    answers.forbidden('The account is too new, or moderators removed the paper'),
    answers.notFound('arXiv has no such paper'),
    answers.tooManyRequests('Over the submission rate limit or the daily limit; see Retry-After'),
    answers.refusedWith(502, 'arXiv could not be reached', errorJson),
    answers.refusedWith(504, 'arXiv did not answer within 8 s (the whole lookup, retries included)', errorJson),
  ],
  async handle({ body, member, ip }, ctx) {
    const { paper, duplicate } = await submitPaper(ctx, member, body.id, { ip });
    const submission = {
      id: paper.id,
      title: paper.title,
      featuredOn: paper.featuredOn,
      submittedBy: paper.submittedBy,
      duplicate,
      url: `${ctx.config.BASE_URL}${paperPath(paper.id)}`,
    };
    return duplicate ? new Answer(submission, { status: 200 }) : submission;
  },
});
