import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { LIBRARY_LIMITS } from '../../library/library.js';
import { requireUser } from '../../http/auth.js';
import { redirectTo } from '../../http/reply.js';
import { listCollections } from '../../store/collections.js';
import { listCommentsBy } from '../../store/comments.js';
import { listFollows } from '../../store/follows.js';
import { listLibraryItems } from '../../store/library.js';
import { getUser } from '../../store/users.js';
import { listVotesBy } from '../../store/votes.js';
import { sendLayoutPage } from '../layout-page.js';
import { activityPage } from '../templates/profile.js';

/** The most votes or comments one export holds, newest first, so an export's cost is bounded. */
export const EXPORT_ROWS = 50_000;
/** How many of each the history page shows. */
const HISTORY_ROWS = 200;

/**
 * GET /account/export.json: everything the member gave the site, as a download: profile, votes, comments,
 * library (notes and read state), collections and follows.
 */
export function accountDataExport(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = (await getUser(ctx.db, requireUser(request, 'export your data').id))!;
    const [votes, comments, library, collections, follows] = await Promise.all([
      listVotesBy(ctx.db, user.id, EXPORT_ROWS),
      listCommentsBy(ctx.db, user.id, EXPORT_ROWS),
      listLibraryItems(ctx.db, { userId: user.id, limit: LIBRARY_LIMITS.items }),
      listCollections(ctx.db, user.id),
      listFollows(ctx.db, user.id),
    ]);
    const data = {
      exportedAt: new Date().toISOString(),
      profile: { username: user.username, email: user.email, role: user.role, createdAt: user.createdAt },
      votes,
      comments: comments.map((c) => ({
        id: c.id,
        paperId: c.paperId,
        parentId: c.parentId,
        body: c.body,
        hidden: c.hidden,
        createdAt: c.createdAt,
        editedAt: c.editedAt,
      })),
      library: library.items.map((item) => ({
        paperId: item.paper.id,
        title: item.paper.title,
        note: item.note,
        readAt: item.readAt,
        savedAt: item.savedAt,
        collections: item.collectionIds,
      })),
      collections: collections.map((c) => ({
        id: c.id,
        name: c.name,
        description: c.description,
        public: c.public,
        papers: c.papers,
        createdAt: c.createdAt,
      })),
      follows,
    };
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="dailypapers-${user.username}.json"`)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2));
  };
}

/** GET /account/activity: the member's own upvotes and comments, newest first. */
export function accountActivity(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.auth) return redirectTo(reply, '/login?next=%2Faccount%2Factivity');
    const user = requireUser(request, 'see your activity');
    const [votes, comments] = await Promise.all([
      listVotesBy(ctx.db, user.id, HISTORY_ROWS),
      listCommentsBy(ctx.db, user.id, HISTORY_ROWS),
    ]);
    return sendLayoutPage(request, reply, {
      title: 'Your activity',
      body: activityPage(votes, comments, HISTORY_ROWS),
    });
  };
}
