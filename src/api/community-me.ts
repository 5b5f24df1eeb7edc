import { z } from 'zod';
import { answers, apiSchemas, defineApiRoute } from './route.js';

export const meJson = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(['member', 'moderator', 'admin']),
    createdAt: z.string(),
  })
  .register(apiSchemas, { id: 'Me', description: 'The account a token or session belongs to' });

/** GET /api/me: who a token or session belongs to (handy for checking a script's token). */
export const meRoute = defineApiRoute({
  method: 'GET',
  operationId: 'getMe',
  path: '/api/me',
  urls: ['/api/me'],
  summary: 'Who the token belongs to',
  member: 'see who you are',
  responses: [answers.ok('The account', meJson), answers.unauthorized('No valid API token (or session)')],
  async handle({ member }) {
    return { id: member.id, username: member.username, role: member.role, createdAt: member.createdAt };
  },
});
