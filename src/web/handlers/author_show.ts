import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { HttpError } from '../../errors.js';
import { sendPage } from '../../http/reply.js';
import { authorProfile } from '../../store/authors.js';
import { isFollowing } from '../../store/follows.js';
import { getPapers } from '../../store/papers.js';
import { authorKeyOfSlug, authorPath } from '../templates/author-links.js';
import { authorPage } from '../templates/author.js';
import { visitorFor } from '../visitor.js';

/** The newest papers an author page lists. */
const LISTED = 50;

/** GET /authors/{slug}: one author's page (see templates/author-links.ts for the slug). */
export function authorShow(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { slug: string } }>, reply: FastifyReply) => {
    const slug = request.params.slug;
    const key = authorKeyOfSlug(slug);
    const profile = key ? await authorProfile(ctx.db, key) : null;
    if (!profile) throw new HttpError(404, 'No paper here has an author of that name.');
    const path = authorPath(profile.name);
    const papers = await getPapers(ctx.db, profile.paperIds.slice(0, LISTED));
    const visitor = await visitorFor(
      ctx.db,
      request,
      papers.map((p) => p.id),
    );
    const following = visitor.viewer ? await isFollowing(ctx.db, visitor.viewer.id, 'author', key) : false;
    return sendPage(
      reply.header('cache-control', 'no-store'),
      authorPage({ profile, papers, visitor, following, path }),
    );
  };
}
