import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { viewerOf } from '../../http/auth.js';
import { sendPage } from '../../http/reply.js';
import { listCollections } from '../../store/collections.js';
import { listFeatured } from '../../store/papers.js';
import { findUserByUsername } from '../../store/users.js';
import { layout } from '../templates/layout.js';
import { profilePage } from '../templates/profile.js';
import { HttpError } from '../../errors.js';

/** How many of a member's submissions their profile lists, newest first. */
const SUBMISSIONS_ON_PROFILE = 50;

/** GET /users/:username: a member's public profile: when they joined, their submissions, their public collections. */
export function userShow(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { username: string } }>, reply: FastifyReply) => {
    const user = await findUserByUsername(ctx.db, request.params.username.slice(0, 64));
    if (!user || user.bannedAt) throw new HttpError(404, 'There is no such member.');
    const [submissions, collections] = await Promise.all([
      listFeatured(ctx.db, { submittedBy: user.username, sort: 'published', limit: SUBMISSIONS_ON_PROFILE }),
      listCollections(ctx.db, user.id, { publicOnly: true }),
    ]);
    const viewer = viewerOf(request);
    const page = layout({
      title: user.username,
      body: profilePage(user, submissions, collections),
      viewer,
      csrfToken: request.auth?.csrfToken ?? null,
    });
    return sendPage(reply.header('cache-control', 'private, no-cache'), page);
  };
}
