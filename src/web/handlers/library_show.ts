import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { collectionIdSchema, LIBRARY_LIMITS, libraryPage as loadLibraryPage } from '../../library/library.js';
import { csrfTokenFor } from '../../http/cookies.js';
import { requireUser } from '../../http/auth.js';
import { redirectTo } from '../../http/reply.js';
import { listCollections } from '../../store/collections.js';
import { sendLayoutPage } from '../layout-page.js';
import { libraryPage } from '../templates/library.js';
import { HttpError } from '../../errors.js';

const libraryQuery = z.object({
  collection: z.union([z.literal(''), collectionIdSchema]).optional(),
  state: z.enum(['read', 'unread', '']).optional(),
  p: z.coerce.number().int().min(0).max(LIBRARY_LIMITS.items).default(0),
});

/** GET /library: the member's saved papers, filtered by collection and read state (visitors log in first). */
export function libraryShow(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.auth) return redirectTo(reply, `/login?next=${encodeURIComponent(request.url)}`);
    const user = requireUser(request, 'see your library');
    const parsed = libraryQuery.safeParse(request.query ?? {});
    if (!parsed.success)
      throw new HttpError(
        400,
        'Filter the library by one of your collections, state=read or unread, and a page p ≥ 0.',
      );
    const { collection, state, p } = parsed.data;
    const pageSize = LIBRARY_LIMITS.pageSize;
    const [page, collections] = await Promise.all([
      loadLibraryPage(ctx.db, user.id, {
        collection: collection || undefined,
        read: state ? state === 'read' : undefined,
        limit: pageSize,
        offset: p * pageSize,
      }),
      listCollections(ctx.db, user.id),
    ]);
    const body = libraryPage({
      ...page,
      collections,
      state: state || undefined,
      page: p,
      pageSize,
      csrfToken: csrfTokenFor(request, reply),
    });
    return sendLayoutPage(request, reply, { title: page.collection?.name ?? 'Your library', body });
  };
}
