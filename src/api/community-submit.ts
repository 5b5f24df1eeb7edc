import { z } from 'zod';
import { CommunityError } from '../community/errors.js';
import { requireUser } from '../community/http.js';
import { submitPaper } from '../community/submit.js';
import type { RouteModule } from '../web/app.js';
import { paperPath } from '../web/urls.js';

export const submitBody = z.object({
  id: z.string({ error: 'Give the paper as {"id": "2501.12345"} (an arXiv id or URL).' }).max(256, 'That id is too long.'),
});

/**
 * POST /api/papers/submit {id}: 201 with the newly featured paper, or 200 with `duplicate: true`
 * pointing to the paper already featured.
 */
export const submitApi: RouteModule = (app, ctx) => {
  app.post('/api/papers/submit', async (request, reply) => {
    const user = requireUser(request, 'submit papers');
    const body = submitBody.safeParse(request.body);
    if (!body.success) throw new CommunityError(400, body.error.issues[0]!.message);
    const { paper, duplicate } = await submitPaper(ctx, user, body.data.id, { ip: request.ip });
    return reply.code(duplicate ? 200 : 201).send({
      id: paper.id,
      title: paper.title,
      featuredOn: paper.featuredOn,
      submittedBy: paper.submittedBy,
      duplicate,
      url: `${ctx.config.BASE_URL}${paperPath(paper.id)}`,
    });
  });
};
