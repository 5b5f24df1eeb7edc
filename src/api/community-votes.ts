import { z } from 'zod';
import { castVote } from '../community/vote.js';
import { answers, apiSchemas, defineApiRoute } from './route.js';

const voteFields = {
  voted: z.boolean().describe('Whether the caller now upvotes the paper'),
  upvotes: z.int().nonnegative().describe('The paper’s upvotes, counted from the votes'),
};
export const voteJson = z.object({ paperId: z.string(), ...voteFields }).register(apiSchemas, { id: 'Vote' });
const voteConflictJson = z.object({ error: z.string(), ...voteFields }).register(apiSchemas, {
  id: 'VoteUnchanged',
  description: 'The vote was already in the asked state; nothing changed',
});

const paperIdParams = z.object({
  paperId: z.string().describe('arXiv id without version (2501.12345, hep-th/9901001) or source:id'),
});

/**
 * PUT /api/votes/{paperId} upvotes, DELETE withdraws the upvote; both answer {paperId, voted, upvotes}.
 * Ids may contain a slash (hep-th/9901001), hence the wildcard.
 */
export const voteRoutes = (['PUT', 'DELETE'] as const).map((method) =>
  defineApiRoute({
    method,
    operationId: method === 'PUT' ? 'upvotePaper' : 'withdrawUpvote',
    path: '/api/votes/{paperId}',
    urls: ['/api/votes/*'],
    readParams: (raw) => ({ paperId: raw['*'] }),
    summary: method === 'PUT' ? 'Upvote a paper' : 'Withdraw your upvote',
    params: paperIdParams,
    member: 'vote',
    changesSharedAnswers: true,
    responses: [
      answers.ok('The vote and the paper’s new count', voteJson),
      answers.unauthorized('No valid API token (or session)'),
      answers.forbidden('The account is too new to vote yet'),
      answers.notFound('No such paper, or it was removed'),
      answers.refusedWith(409, method === 'PUT' ? 'Already upvoted' : 'Not upvoted', voteConflictJson),
      answers.tooManyRequests('Over the vote rate limit; see Retry-After'),
    ],
    async handle({ params, member, ip }, ctx) {
      const outcome = await castVote(ctx, member, params.paperId, method === 'PUT', ip);
      return { paperId: outcome.paperId, voted: outcome.voted, upvotes: outcome.upvotes };
    },
  }),
);
