import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { enforceRateLimit } from '../community/rate-limit.js';
import { signedLink, tokenLink, type LinkPurpose } from '../digest/links.js';
import {
  checkChoice,
  checkEmail,
  checkSubscription,
  confirmSubscription,
  FOR_YOU_NEEDS_ACCOUNT,
  forYouRefusal,
  isMemberAddress,
  requestManageLink,
  requestSubscription,
  subscriberFromLink,
  unsubscribe,
  type SubscriptionDeps,
} from '../digest/subscribe.js';
import { updateSubscription, type Subscriber } from '../store/subscriptions.js';
import type { AppContext } from '../app/context.js';
import type { SafeHtml } from '../markup/html.js';
import { sendPage } from '../http/reply.js';
import {
  checkInboxPage,
  confirmedPage,
  confirmPage,
  formErrorPage,
  linkProblemPage,
  linkSentPage,
  managePage,
  subscribePage,
  unsubscribedPage,
  unsubscribePage,
} from './templates/subscriptions.js';

/** These pages act for one subscriber: never cached. */
function sendPrivatePage(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return sendPage(reply.header('cache-control', 'no-store'), page, status);
}

/** Form fields arrive as a string, or as an array when repeated: take the last string. */
const field = z.preprocess((v) => (Array.isArray(v) ? v.at(-1) : v), z.string().max(5000).optional());
const subscriptionForm = z.object({ email: field, frequency: field, topics: field, top: field, for_you: field });
const tokenQuery = z.object({ token: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().optional()) });

/** Topics typed into a form: separated by commas or lines. */
function splitTopics(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** What the subscription steps need from the app. */
const depsOf = (ctx: AppContext): SubscriptionDeps => ({ db: ctx.db, config: ctx.config, logger: ctx.logger });

const selfLink = (ctx: AppContext, purpose: LinkPurpose, subscriber: Subscriber) =>
  signedLink(ctx.config.BASE_URL, ctx.config.SECRET_KEY, purpose, subscriber.id);

/** Forms post back to the page's own path with its token. */
const action = (purpose: LinkPurpose, token: string) => tokenLink('', purpose, token);

/** Resolves the link's subscriber or answers with the link problem page. */
async function fromLink(ctx: AppContext, purpose: LinkPurpose, query: unknown, reply: FastifyReply) {
  const token = tokenQuery.safeParse(query).data?.token;
  const result = await subscriberFromLink(depsOf(ctx), purpose, token);
  if (!result.ok) {
    sendPrivatePage(reply, linkProblemPage(result.reason), result.reason === 'expired' ? 410 : 400);
    return null;
  }
  return { subscriber: result.subscriber, token: token! };
}

/** A request that mails the address it names is limited per address and per IP (429 with Retry-After). */
const limitMailTo = (ctx: AppContext, email: string, ip: string) =>
  enforceRateLimit(ctx, 'subscribe', { account: email.toLowerCase(), ip });

/**
 * Subscribe, confirm, manage and unsubscribe pages. Everything after the form is reached through signed links
 * from mail (?token=…), so none of it needs an account. These forms work without an account or session, so the
 * session CSRF check does not apply (the route table exempts them): the signed token in each link is what a
 * forging site cannot know, a subscription only mails a confirmation (double opt-in), and one-click unsubscribe
 * (RFC 8058) comes from mail clients.
 */
export const noCsrfCheck = { config: { csrf: false } };

/** RFC 8058 one-click unsubscribe may POST multipart/form-data; its body carries nothing we need. */
export function acceptOneClickUnsubscribe(scope: FastifyInstance): void {
  scope.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, _body, done) =>
    done(null, {}),
  );
}

/** The subscription form, with a topic filled in when a page linked here with one. */
export async function subscribeForm(request: FastifyRequest, reply: FastifyReply) {
  const topic = z.object({ topic: z.string().max(200).optional() }).safeParse(request.query).data?.topic;
  // A member's address is filled in for them.
  const member = request.auth !== null;
  return sendPrivatePage(
    reply,
    subscribePage({ topics: topic ? [topic] : [], email: request.auth?.user.email, member }),
  );
}

/** Asks for a subscription: mails a confirmation link (double opt-in). */
export function subscribe(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const form = subscriptionForm.safeParse(request.body ?? {});
    if (!form.success)
      return sendPrivatePage(
        reply,
        formErrorPage('Could not subscribe', 'The form was not filled in as expected.'),
        400,
      );
    const { email, frequency, topics, top, for_you } = form.data;
    const forYou = for_you !== undefined;
    const checked = checkSubscription({
      email,
      frequency,
      topics: splitTopics(topics),
      top: top !== undefined,
      forYou,
    });
    const refusal = checked.ok ? forYouRefusal(checked.value, request.auth?.user ?? null) : checked.error;
    if (!checked.ok || refusal) {
      const validFrequency = frequency === 'weekly' ? 'weekly' : 'daily';
      return sendPrivatePage(
        reply,
        subscribePage({
          email,
          frequency: validFrequency,
          topics: splitTopics(topics).slice(0, 50),
          top: top !== undefined,
          member: request.auth !== null,
          forYou,
          error: refusal ?? undefined,
        }),
        400,
      );
    }
    await limitMailTo(ctx, checked.value.email, request.ip);
    await requestSubscription(depsOf(ctx), checked.value);
    return sendPrivatePage(reply, checkInboxPage(checked.value.email));
  };
}

/** The page a confirmation link opens: a button that confirms. */
export function subscriptionConfirmShow(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const link = await fromLink(ctx, 'confirm', request.query, reply);
    if (!link) return reply;
    if (link.subscriber.status === 'active')
      return sendPrivatePage(reply, confirmedPage(link.subscriber, selfLink(ctx, 'manage', link.subscriber), true));
    return sendPrivatePage(reply, confirmPage(link.subscriber, action('confirm', link.token)));
  };
}

/** Confirms the subscription. */
export function subscriptionConfirm(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const link = await fromLink(ctx, 'confirm', request.query, reply);
    if (!link) return reply;
    const outcome = await confirmSubscription(depsOf(ctx), link.subscriber);
    if (outcome === 'not-pending') {
      return sendPrivatePage(
        reply,
        formErrorPage(
          'Not confirmed',
          `This subscription was ${link.subscriber.status}; subscribe again to receive digests.`,
        ),
        409,
      );
    }
    const subscriber = { ...link.subscriber, status: 'active' as const };
    return sendPrivatePage(
      reply,
      confirmedPage(subscriber, selfLink(ctx, 'manage', subscriber), outcome === 'already-active'),
    );
  };
}

/** The page a manage link opens: frequency and topics. */
export function subscriptionManageShow(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const link = await fromLink(ctx, 'manage', request.query, reply);
    if (!link) return reply;
    return sendPrivatePage(
      reply,
      managePage(link.subscriber, {
        action: action('manage', link.token),
        unsubscribe: selfLink(ctx, 'unsubscribe', link.subscriber),
      }),
    );
  };
}

/** Saves a changed frequency and topics. */
export function subscriptionManage(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const link = await fromLink(ctx, 'manage', request.query, reply);
    if (!link) return reply;
    const urls = { action: action('manage', link.token), unsubscribe: selfLink(ctx, 'unsubscribe', link.subscriber) };
    const form = subscriptionForm.safeParse(request.body ?? {});
    const frequency = form.data?.frequency === 'weekly' ? 'weekly' : 'daily';
    const choice = checkChoice(
      frequency,
      splitTopics(form.data?.topics),
      form.data?.top !== undefined,
      form.data?.for_you !== undefined,
    );
    // The link proves the mailbox, so saying whether its address has an account tells its owner only.
    const error = !form.success
      ? 'The form was not filled in as expected.'
      : !choice.ok
        ? choice.error
        : choice.value.forYou && !(await isMemberAddress(ctx.db, link.subscriber.email))
          ? FOR_YOU_NEEDS_ACCOUNT
          : null;
    if (error || !choice.ok)
      return sendPrivatePage(reply, managePage(link.subscriber, urls, { error: error ?? undefined }), 400);
    await updateSubscription(ctx.db, link.subscriber.id, choice.value, new Date());
    return sendPrivatePage(reply, managePage({ ...link.subscriber, ...choice.value }, urls, { saved: true }));
  };
}

/** The page an unsubscribe link opens: a button that unsubscribes. */
export function unsubscribeShow(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const link = await fromLink(ctx, 'unsubscribe', request.query, reply);
    if (!link) return reply;
    if (link.subscriber.status === 'unsubscribed') return sendPrivatePage(reply, unsubscribedPage(link.subscriber));
    return sendPrivatePage(reply, unsubscribePage(link.subscriber, action('unsubscribe', link.token)));
  };
}

// The target of the unsubscribe button and of RFC 8058 one-click POSTs from mail providers.
export function unsubscribeConfirm(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const link = await fromLink(ctx, 'unsubscribe', request.query, reply);
    if (!link) return reply;
    await unsubscribe(depsOf(ctx), link.subscriber);
    return sendPrivatePage(reply, unsubscribedPage(link.subscriber));
  };
}

/** Mails a manage link to a subscriber who lost theirs. */
export function subscriptionLinkSend(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const email = checkEmail(subscriptionForm.safeParse(request.body ?? {}).data?.email);
    if (!email.ok) return sendPrivatePage(reply, formErrorPage('Could not send a link', email.error), 400);
    await limitMailTo(ctx, email.value, request.ip);
    await requestManageLink(depsOf(ctx), email.value);
    return sendPrivatePage(reply, linkSentPage());
  };
}
