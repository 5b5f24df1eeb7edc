import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkSubscription, requestSubscription } from '../digest/subscribe.js';
import type { AppContext } from '../web/app.js';
import { describeIssues } from './route.js';

/** POST /api/subscriptions: `{email, frequency?: "daily"|"weekly", topics?: string[], top?: boolean}`. */
export const subscriptionRequest = z.object({
  email: z.string(),
  frequency: z.enum(['daily', 'weekly']).optional(),
  topics: z.array(z.string()).optional(),
  top: z.boolean().optional(),
});

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
    await requestSubscription({ db: ctx.db, config: ctx.config }, checked.value);
    return reply.code(202).send({
      status: 'pending',
      message: 'If this address can receive mail, a link is on its way. Nothing else is sent until the subscription is confirmed.',
    });
  });
}
