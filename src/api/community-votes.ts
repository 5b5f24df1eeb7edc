import { requireUser } from '../community/http.js';
import { castVote } from '../community/vote.js';
import type { RouteModule } from '../web/app.js';

/**
 * PUT /api/votes/{paperId} upvotes, DELETE withdraws the upvote; both answer {paperId, voted, upvotes}.
 * Ids may contain a slash (hep-th/9901001), hence the wildcard.
 */
export const voteApi: RouteModule = (app, ctx) => {
  for (const method of ['PUT', 'DELETE'] as const) {
    app.route<{ Params: { '*': string } }>({
      method,
      url: '/api/votes/*',
      handler: async (request) => {
        const user = requireUser(request, 'vote');
        const outcome = await castVote(ctx, user, request.params['*'], method === 'PUT', request.ip);
        return { paperId: outcome.paperId, voted: outcome.voted, upvotes: outcome.upvotes };
      },
    });
  }
};
