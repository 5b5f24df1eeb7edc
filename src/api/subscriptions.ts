import { z } from 'zod';
import { enforceRateLimit } from '../community/rate-limit.js';
import { checkSubscription, forYouRefusal, requestSubscription } from '../digest/subscribe.js';
import { HttpError } from '../errors.js';
import { getUser } from '../store/users.js';
import { answers, apiSchemas, defineApiRoute } from './route.js';

/** POST /api/subscriptions: `{email, frequency?: "daily"|"weekly", topics?: string[], top?: boolean, forYou?: boolean}`. */
export const subscriptionRequest = z.object({
  email: z.string().describe('Where the digest goes'),
  frequency: z.enum(['daily', 'weekly']).optional(),
  topics: z.array(z.string()).optional().describe('arXiv categories or search terms to follow'),
  top: z.boolean().optional().describe('Whether to include the period’s top papers'),
  forYou: z
    .boolean()
    .optional()
    .describe('Add a “For you” section: only a member (API token or session) for their own account’s address'),
});

export const subscriptionPendingJson = z
  .object({ status: z.literal('pending'), message: z.string() })
  .register(apiSchemas, { id: 'SubscriptionPending' });

/**
 * Subscribes an address to digests. Always 202 for a well-formed request, whether the address
 * is new or already subscribed, so the endpoint does not reveal who is subscribed; the mail
 * that follows (a confirmation, or a manage link) tells the owner of the mailbox.
 */
export const subscriptionRoute = defineApiRoute({
  method: 'POST',
  operationId: 'subscribe',
  path: '/api/subscriptions',
  urls: ['/api/subscriptions'],
  summary: 'Subscribe an address to digests (double opt-in)',
  description:
    'Answers 202 alike for new and existing addresses; the mail that follows tells the owner of the mailbox.',
  body: subscriptionRequest,
  responses: [
    answers.accepted('A confirmation or manage link is on its way', subscriptionPendingJson),
    answers.badRequest('A malformed address or choice, or forYou for an address that is not the caller’s account’s'),
    answers.tooManyRequests('Over the limit for this address or this client; see Retry-After'),
  ],
  async handle({ body, ip, viewer }, ctx) {
    const checked = checkSubscription(body);
    if (!checked.ok) throw new HttpError(400, checked.error);
    const caller = checked.value.forYou && viewer ? await getUser(ctx.db, viewer.id) : null;
    const refusal = forYouRefusal(checked.value, caller);
    if (refusal) throw new HttpError(400, refusal);
    await enforceRateLimit(ctx, 'subscribe', { account: checked.value.email.toLowerCase(), ip });
    await requestSubscription({ db: ctx.db, config: ctx.config, logger: ctx.logger }, checked.value);
    return {
      status: 'pending',
      message:
        'If this address can receive mail, a link is on its way. Nothing else is sent until the subscription is confirmed.',
    };
  },
});
