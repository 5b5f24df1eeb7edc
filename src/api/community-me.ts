import { z } from 'zod';
import { requireUser } from '../community/http.js';
import type { RouteModule } from '../web/app.js';
import { answers, apiSchemas, type DocumentedRoute } from './route.js';

export const meJson = z
  .object({ id: z.string(), username: z.string(), role: z.enum(['member', 'moderator', 'admin']), createdAt: z.string() })
  .register(apiSchemas, { id: 'Me', description: 'The account a token or session belongs to' });

export const meRoutes: DocumentedRoute[] = [
  {
    method: 'get',
    operationId: 'getMe',
    path: '/api/me',
    summary: 'Who the token belongs to',
    responses: [answers.ok('The account', meJson), answers.unauthorized('No valid API token (or session)')],
    authenticated: true,
  },
];

/** GET /api/me: who a token or session belongs to (handy for checking a script's token). */
export const meApi: RouteModule = (app) => {
  app.get('/api/me', async (request) => {
    const user = requireUser(request, 'see who you are');
    return { id: user.id, username: user.username, role: user.role, createdAt: user.createdAt };
  });
};
