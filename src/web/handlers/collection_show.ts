import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { readableCollection } from '../../library/library.js';
import { viewerOf } from '../../http/auth.js';
import { sendPage } from '../../http/reply.js';
import { collectionPath } from '../../markup/urls.js';
import { listCollectionPapers } from '../../store/library.js';
import { getUser } from '../../store/users.js';
import { layout } from '../templates/layout.js';
import { collectionPage } from '../templates/library.js';

/** How many papers a collection's page lists, latest added first. */
const PAPERS_ON_PAGE = 200;

/** GET /collections/:id: a public collection for anyone, a private one for its owner only (404 for others). */
export function collectionShow(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const viewer = viewerOf(request);
    const collection = await readableCollection(ctx.db, viewer?.id ?? null, request.params.id);
    const [entries, owner] = await Promise.all([
      listCollectionPapers(ctx.db, collection.id, { limit: PAPERS_ON_PAGE }),
      getUser(ctx.db, collection.userId),
    ]);
    const path = collectionPath(collection.id);
    const body = collectionPage({
      collection,
      owner: owner?.username ?? '',
      papers: entries.map((e) => e.paper),
      isOwner: viewer?.id === collection.userId,
    });
    const page = layout({
      title: collection.name,
      description: collection.description || undefined,
      body,
      viewer,
      csrfToken: request.auth?.csrfToken ?? null,
      alternateFeeds: collection.public
        ? [
            { title: `${collection.name} (RSS)`, href: `${path}/feed.xml`, type: 'application/rss+xml' },
            { title: `${collection.name} (Atom)`, href: `${path}/atom.xml`, type: 'application/atom+xml' },
          ]
        : [],
    });
    return sendPage(reply.header('cache-control', collection.public ? 'private, no-cache' : 'no-store'), page);
  };
}
