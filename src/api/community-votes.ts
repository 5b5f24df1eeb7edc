import { z } from 'zod';
import { requireUser } from '../community/http.js';
import { castVote } from '../community/vote.js';
import type { RouteModule } from '../web/app.js';
import { answers, apiSchemas, changesSharedAnswers, type DocumentedRoute } from './route.js';

const voteFields = {
  voted: z.boolean().describe('Whether the caller now upvotes the paper'),
  upvotes: z.int().nonnegative().describe('The paper’s upvotes, counted from the votes'),
};
export const voteJson = z.object({ paperId: z.string(), ...voteFields }).register(apiSchemas, { id: 'Vote' });
const voteConflictJson = z
  .object({ error: z.string(), ...voteFields })
  .register(apiSchemas, { id: 'VoteUnchanged', description: 'The vote was already in the asked state; nothing changed' });

const paperIdParams = z.object({ paperId: z.string().describe('arXiv id without version (2501.12345, hep-th/9901001) or source:id') });

export const voteRoutes: DocumentedRoute[] = (['put', 'delete'] as const).map((method) => ({
  method,
  operationId: method === 'put' ? 'upvotePaper' : 'withdrawUpvote',
  path: '/api/votes/{paperId}',
  summary: method === 'put' ? 'Upvote a paper' : 'Withdraw your upvote',
  params: paperIdParams,
  responses: [
    answers.ok('The vote and the paper’s new count', voteJson),
    answers.unauthorized('No valid API token (or session)'),
    answers.forbidden('The account is too new to vote yet'),
    answers.notFound('No such paper, or it was removed'),
    answers.refusedWith(409, method === 'put' ? 'Already upvoted' : 'Not upvoted', voteConflictJson),
    answers.tooManyRequests('Over the vote rate limit; see Retry-After'),
  ],
  authenticated: true,
}));

/**
 * PUT /api/votes/{paperId} upvotes, DELETE withdraws the upvote; both answer {paperId, voted, upvotes}.
 * Ids may contain a slash (hep-th/9901001), hence the wildcard.
 */
export const voteApi: RouteModule = (app, ctx) => {
  for (const method of ['PUT', 'DELETE'] as const) {
    app.route<{ Params: { '*': string } }>({
      method,
      url: '/api/votes/*',
      ...changesSharedAnswers,
      handler: async (request) => {
        const user = requireUser(request, 'vote');
        const outcome = await castVote(ctx, user, request.params['*'], method === 'PUT', request.ip);
        return { paperId: outcome.paperId, voted: outcome.voted, upvotes: outcome.upvotes };
      },
    });
  }
};
