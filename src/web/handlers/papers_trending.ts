import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { invalidRequest } from '../../errors.js';
import { visitorFor } from '../visitor.js';
import { feedLinksFor } from '../../feeds/params.js';
import { listTrending } from '../../store/papers.js';
import { sendPage } from '../../http/reply.js';
import { categoryList } from '../../http/search-params.js';
import { trendingPage } from '../templates/trending.js';

const trendingQuery = z.object({
  sort: z.enum(['trending', 'stars'], { error: 'expected trending or stars' }).default('trending'),
  category: categoryList.optional(),
});

/** GET /papers/trending: featured papers by trending score, or with `?sort=stars` by GitHub stars; `?category=` narrows both. */
export function papersTrending({ db }: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const query = trendingQuery.safeParse(request.query);
    if (!query.success) throw invalidRequest(query.error);
    const { sort, category } = query.data;
    const papers = await listTrending(db, {
      limit: 50,
      sort,
      categories: category?.include,
      excludedCategories: category?.exclude,
    });
    const visitor = await visitorFor(
      db,
      request,
      papers.map((p) => p.id),
    );
    return sendPage(
      reply.header('cache-control', 'no-store'),
      trendingPage(
        papers,
        visitor,
        feedLinksFor({
          view: 'trending',
          ...(category ? { categories: category.include, excludedCategories: category.exclude } : {}),
        }),
        sort,
      ),
    );
  };
}
