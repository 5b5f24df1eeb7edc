import { z } from 'zod';
import { HttpError } from '../errors.js';
import { followInput, storedFollow } from '../http/follow-params.js';
import { limitParam, paperIdParam } from '../http/params.js';
import { day } from '../http/search-params.js';
import { recommendFor } from '../recommend/for-you.js';
import { reasonLine } from '../recommend/reasons.js';
import { dismissPaper, undismissPaper } from '../store/dismissals.js';
import {
  addFollow,
  FOLLOW_KINDS,
  listFollows,
  removeFollow,
  setFollowInDigest,
  TooManyFollowsError,
} from '../store/follows.js';
import { getPapers } from '../store/papers.js';
import { dailyPaperJson, toDailyPaperJson } from './paper-json.js';
import { Answer, answers, apiSchemas, defineApiRoute } from './route.js';

const recommendationJson = dailyPaperJson
  .extend({ reason: z.string().describe('Why it is recommended, in one line') })
  .register(apiSchemas, { id: 'Recommendation', description: 'A list item of /api/papers/search, with its reason' });

export const recommendationsQuery = z
  .object({
    limit: limitParam(20),
    from: day('Only papers published on or after this day').optional(),
    to: day('Only papers published on or before this day').optional(),
  })
  .superRefine((query, ctx) => {
    if (query.from && query.to && query.from > query.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
  });

/** GET /api/recommendations: the caller's own "For you" list. */
export const recommendationsRoute = defineApiRoute({
  method: 'GET',
  operationId: 'getRecommendations',
  path: '/api/recommendations',
  urls: ['/api/recommendations'],
  summary: 'Papers recommended for you',
  description:
    'Ranked by what you upvoted, saved, follow and marked "not interested", learned at each request; papers you upvoted, saved or dismissed are left out. ' +
    'Without from/to every stored paper is ranked. With no signals yet, trending papers: the `X-Recommendation-Basis` header says `trending` (otherwise `learned`).',
  query: recommendationsQuery,
  member: 'see your recommendations',
  responses: [
    answers.ok('Recommended papers, best first', z.array(recommendationJson)),
    answers.badRequest('A parameter is malformed (an impossible date, from after to, a limit out of range)'),
    answers.unauthorized('No valid API token (or session)'),
  ],
  async handle({ query, member }, ctx) {
    const forYou = await recommendFor(ctx, member.id, query);
    const papers = new Map(
      (
        await getPapers(
          ctx.db,
          forYou.items.map((item) => item.id),
        )
      ).map((p) => [p.id, p]),
    );
    const body = forYou.items.flatMap((item) => {
      const paper = papers.get(item.id);
      return paper ? [{ ...toDailyPaperJson(paper, ctx.config.BASE_URL), reason: reasonLine(item.reason) }] : [];
    });
    return new Answer(body, { headers: { 'x-recommendation-basis': forYou.basis } });
  },
});

const followJson = z
  .object({
    kind: z.enum(FOLLOW_KINDS),
    target: z.string(),
    createdAt: z.string(),
    inDigest: z.boolean().describe('Also a topic of the email digest sent to your account’s address'),
  })
  .register(apiSchemas, { id: 'Follow', description: 'An author (normalised name), category or search you follow' });

export const followRoutes = [
  defineApiRoute({
    method: 'GET',
    operationId: 'listFollows',
    path: '/api/follows',
    urls: ['/api/follows'],
    summary: 'What you follow',
    member: 'see what you follow',
    responses: [
      answers.ok('Your follows, newest first', z.array(followJson)),
      answers.unauthorized('No valid API token'),
    ],
    handle: ({ member }, { db }) => listFollows(db, member.id),
  }),
  defineApiRoute({
    method: 'POST',
    operationId: 'follow',
    path: '/api/follows',
    urls: ['/api/follows'],
    summary: 'Follow an author, a category or a search',
    description:
      'Following again changes nothing but `inDigest` when given. Authors are matched by normalised name (case and accents ignored).',
    body: followInput.safeExtend({
      inDigest: z
        .boolean({ error: 'expected true or false' })
        .optional()
        .describe('Make it a topic of the email digest sent to your account’s address (true), or not (false)'),
    }),
    member: 'follow',
    responses: [
      answers.ok('What you now follow', z.array(followJson)),
      answers.badRequest('Unknown kind, or a target that is empty, too long or not a category'),
      answers.unauthorized('No valid API token (or session)'),
      answers.conflict('You follow the most things allowed already'),
    ],
    async handle({ body, member }, { db }) {
      const follow = storedFollow(body);
      try {
        await addFollow(db, member.id, follow.kind, follow.target);
      } catch (error) {
        if (error instanceof TooManyFollowsError) throw new HttpError(409, error.message);
        throw error;
      }
      if (body.inDigest !== undefined) await setFollowInDigest(db, member.id, follow, body.inDigest);
      return listFollows(db, member.id);
    },
  }),
  defineApiRoute({
    method: 'DELETE',
    operationId: 'unfollow',
    path: '/api/follows',
    urls: ['/api/follows'],
    summary: 'Stop following',
    query: followInput,
    member: 'unfollow',
    responses: [
      answers.noContent('Not followed any more'),
      answers.badRequest('Unknown kind, or a malformed target'),
      answers.unauthorized('No valid API token (or session)'),
      answers.notFound('You do not follow that'),
    ],
    async handle({ query, member }, { db }) {
      const follow = storedFollow(query);
      if (!(await removeFollow(db, member.id, follow.kind, follow.target)))
        throw new HttpError(404, `you do not follow the ${follow.kind} ${follow.target}`);
      return new Answer(undefined, { status: 204 });
    },
  }),
];

const dismissalJson = z
  .object({ paperId: z.string(), notInterested: z.boolean() })
  .register(apiSchemas, { id: 'Dismissal', description: 'Whether you marked the paper "not interested"' });

export const dismissalRoutes = (['PUT', 'DELETE'] as const).map((method) =>
  defineApiRoute({
    method,
    operationId: method === 'PUT' ? 'markNotInterested' : 'unmarkNotInterested',
    path: '/api/not-interested/{paperId}',
    urls: ['/api/not-interested/*'],
    readParams: (raw) => ({ paperId: raw['*'] }),
    summary: method === 'PUT' ? 'Mark a paper "not interested"' : 'Take back "not interested"',
    description: 'A negative signal for your recommendations, effective on the next request.',
    params: z.object({ paperId: paperIdParam }),
    member: 'mark papers',
    responses: [
      answers.ok('The paper’s mark now', dismissalJson),
      answers.badRequest('Not a paper id'),
      answers.unauthorized('No valid API token (or session)'),
      answers.notFound('No such paper'),
    ],
    async handle({ params, member }, { db }) {
      if (method === 'DELETE') {
        await undismissPaper(db, member.id, params.paperId);
        return { paperId: params.paperId, notInterested: false };
      }
      if (!(await dismissPaper(db, member.id, params.paperId)))
        throw new HttpError(404, `no paper with id ${params.paperId}`);
      return { paperId: params.paperId, notInterested: true };
    },
  }),
);
