import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { enforceRateLimit } from '../community/rate-limit.js';
import { checkSubscription, requestSubscription } from '../digest/subscribe.js';
import type { AppContext } from '../app/context.js';
import { answers, apiSchemas, describeIssues, type DocumentedRoute } from './route.js';

/** POST /api/subscriptions: `{email, frequency?: "daily"|"weekly", topics?: string[], top?: boolean}`. */
export const subscriptionRequest = z.object({
  email: z.string().describe('Where the digest goes'),
  frequency: z.enum(['daily', 'weekly']).optional(),
  topics: z.array(z.string()).optional().describe('arXiv categories or search terms to follow'),
  top: z.boolean().optional().describe('Whether to include the period’s top papers'),
});

export const subscriptionPendingJson = z
  .object({ status: z.literal('pending'), message: z.string() })
  .register(apiSchemas, { id: 'SubscriptionPending' });

export const subscriptionRoutes: DocumentedRoute[] = [
  {
    method: 'post',
    operationId: 'subscribe',
    path: '/api/subscriptions',
    summary: 'Subscribe an address to digests (double opt-in)',
    description: 'Answers 202 alike for new and existing addresses; the mail that follows tells the owner of the mailbox.',
    body: subscriptionRequest,
    responses: [
      answers.accepted('A confirmation or manage link is on its way', subscriptionPendingJson),
      answers.badRequest('A malformed address or choice'),
      answers.tooManyRequests('Over the limit for this address or this client; see Retry-After'),
    ],
    authenticated: false,
  },
];

/**
 * Subscribes an address to digests. Always 202 for a well-formed request, whether the address
 * is new or already subscribed, so the endpoint does not reveal who is subscribed; the mail
 * that follows (a confirmation, or a manage link) tells the owner of the mailbox.
 */
export function subscriptionApi(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/subscriptions', async (request, reply) => {
    const body = subscriptionRequest.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: describeIssues(body.error) });
    const checked = checkSubscription(body.data);
    if (!checked.ok) return reply.code(400).send({ error: checked.error });
    const limited = { account: checked.value.email.toLowerCase(), ip: request.ip };
    await enforceRateLimit(ctx, 'subscribe', limited);
    await requestSubscription({ db: ctx.db, config: ctx.config, logger: ctx.logger }, checked.value);
    return reply.code(202).send({
      status: 'pending',
      message: 'If this address can receive mail, a link is on its way. Nothing else is sent until the subscription is confirmed.',
    });
  });
}
