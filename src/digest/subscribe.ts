import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connection.js';
import type { DigestFrequency, OutboxKind } from '../db/schema.js';
import { enqueueJob } from '../store/jobs.js';
import { addToOutbox, cancelPendingDigests } from '../store/outbox.js';
import {
  confirmSubscriber,
  createSubscriber,
  getSubscriber,
  getSubscriberByEmail,
  markAccountMailQueued,
  resetToPending,
  unsubscribeSubscriber,
  type Subscriber,
  type SubscriptionChoice,
} from '../store/subscriptions.js';
import { membersByEmail } from '../store/users.js';
import { signedLink, verifyToken, type LinkPurpose } from './links.js';
import { messageIdFor } from './message.js';
import { parseTopics } from './topics.js';

/**
 * Subscribing and managing a subscription without an account: double opt-in, and signed links
 * for everything after. Every outcome is stated so pages and the API can answer clearly.
 */
export type SubscriptionDeps = {
  db: Db;
  config: Pick<Config, 'SECRET_KEY' | 'MAIL_FROM' | 'SMTP_URL' | 'BASE_URL'>;
  logger: Logger;
};

/** Account mail (confirm, manage link) to one address at most this often, so the form cannot flood a mailbox. */
export const ACCOUNT_MAIL_INTERVAL_MS = 5 * 60_000;

const MAX_EMAIL_LENGTH = 254;
// A dot-atom local part and a dotted host name: no quotes, spaces or control characters, so no header can be smuggled in.
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export function checkEmail(input: unknown): Checked<string> {
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, error: 'an email address is required' };
  const email = input.trim();
  if (email.length > MAX_EMAIL_LENGTH)
    return { ok: false, error: `the email address is longer than ${MAX_EMAIL_LENGTH} characters` };
  if (!EMAIL.test(email) || email.split('@')[0]!.length > 64) return { ok: false, error: 'not a valid email address' };
  return { ok: true, value: email };
}

export interface SubscriptionInput {
  email: unknown;
  frequency?: unknown;
  topics?: readonly string[];
  /** Include the period's top papers; by default only when no topic is given. */
  top?: boolean;
  /** Add a "For you" section (a member's own address only: see forYouRefusal). */
  forYou?: boolean;
}

/** Validates what a form or API call asks for; every problem gets a sentence a person can act on. */
export function checkSubscription(input: SubscriptionInput): Checked<{ email: string } & SubscriptionChoice> {
  const email = checkEmail(input.email);
  if (!email.ok) return email;
  const frequency = input.frequency ?? 'daily';
  if (frequency !== 'daily' && frequency !== 'weekly')
    return { ok: false, error: 'frequency must be "daily" or "weekly"' };
  const choice = checkChoice(frequency, input.topics ?? [], input.top, input.forYou);
  return choice.ok ? { ok: true, value: { email: email.value, ...choice.value } } : choice;
}

export function checkChoice(
  frequency: DigestFrequency,
  topicTexts: readonly string[],
  top: boolean | undefined,
  forYou = false,
): Checked<SubscriptionChoice> {
  const topics = parseTopics(topicTexts);
  if (!topics.ok) return topics;
  const includeTop = top ?? topics.topics.length === 0;
  if (!includeTop && topics.topics.length === 0 && !forYou)
    return { ok: false, error: 'choose the top papers, at least one topic, or both' };
  return { ok: true, value: { frequency, includeTop, topics: topics.topics.map((t) => t.value), forYou } };
}

/** What a "For you" section needs: it reads a member's upvotes, saves and follows. */
export const FOR_YOU_NEEDS_MEMBER =
  'the “For you” section is for members: log in and subscribe with your account’s address to add it';
export const FOR_YOU_NEEDS_ACCOUNT =
  'the “For you” section needs a member account with this address: sign up (or change your account’s address) to it first';

/**
 * Why a request from the subscribe form or the API may not turn "For you" on, or null. Neither proves
 * who owns the mailbox, so it is taken only from a logged-in member for their own address; the answer
 * is the same for every other address, so it never tells whether one has an account.
 */
export function forYouRefusal(
  choice: { email: string; forYou: boolean },
  caller: { email: string } | null,
): string | null {
  return choice.forYou && caller?.email !== choice.email.toLowerCase() ? FOR_YOU_NEEDS_MEMBER : null;
}

/** Whether a confirmed member's account uses this address (asked only for someone who proved the mailbox). */
export async function isMemberAddress(db: Db, email: string): Promise<boolean> {
  return (await membersByEmail(db, [email.toLowerCase()])).size > 0;
}

/**
 * Queues an account mail and wakes a worker of the mail lane to send it now rather than at the next sweep. Without
 * SMTP_URL (development) the link goes to the log instead, as login links do, so it is not lost.
 */
async function queueAccountMail(
  deps: SubscriptionDeps,
  kind: OutboxKind & LinkPurpose,
  subscriber: { id: string; email: string },
  now: Date,
): Promise<void> {
  const subscriberId = subscriber.id;
  if (deps.config.SMTP_URL === undefined) {
    const link = signedLink(deps.config.BASE_URL, deps.config.SECRET_KEY, kind, subscriberId, now);
    const message = `subscription ${kind} link (SMTP_URL is not set, so it was not mailed)`;
    deps.logger.info({ to: subscriber.email, link }, message);
    await markAccountMailQueued(deps.db, subscriberId, now);
    return;
  }
  const key = `${kind}:${subscriberId}:${now.toISOString()}`;
  await addToOutbox(deps.db, [{ key, kind, subscriberId, messageId: messageIdFor(key, deps.config.MAIL_FROM) }], now);
  await markAccountMailQueued(deps.db, subscriberId, now);
  await enqueueJob(deps.db, 'digest.account', {}, { uniqueKey: `digest.account:${key}` });
}

function mayMail(subscriber: Subscriber, now: Date): boolean {
  return !subscriber.accountMailAt || now.getTime() - Date.parse(subscriber.accountMailAt) >= ACCOUNT_MAIL_INTERVAL_MS;
}

export type RequestOutcome = 'confirmation-queued' | 'manage-link-queued' | 'throttled';

/**
 * Handles a subscribe request. A new or lapsed address is (re)set to pending and gets a
 * confirmation mail; an active one is not changed (the request proves nothing about who sent
 * it) but gets a link to manage its subscription. Callers answer the same either way, so the
 * form does not reveal who is subscribed.
 */
export async function requestSubscription(
  deps: SubscriptionDeps,
  request: { email: string } & SubscriptionChoice,
  now = new Date(),
): Promise<RequestOutcome> {
  const existing = await getSubscriberByEmail(deps.db, request.email);
  if (!existing) {
    const id = randomBytes(12).toString('hex');
    await createSubscriber(deps.db, { id, ...request }, now);
    await queueAccountMail(deps, 'confirm', { id, email: request.email }, now);
    return 'confirmation-queued';
  }
  if (existing.status === 'active') {
    if (!mayMail(existing, now)) return 'throttled';
    await queueAccountMail(deps, 'manage', existing, now);
    return 'manage-link-queued';
  }
  await resetToPending(deps.db, existing.id, request, now);
  if (!mayMail(existing, now)) return 'throttled';
  await queueAccountMail(deps, 'confirm', existing, now);
  return 'confirmation-queued';
}

/** Sends a fresh manage link to a subscribed address (for someone whose link expired). */
export async function requestManageLink(deps: SubscriptionDeps, email: string, now = new Date()): Promise<boolean> {
  const subscriber = await getSubscriberByEmail(deps.db, email);
  if (!subscriber || !['active', 'pending'].includes(subscriber.status) || !mayMail(subscriber, now)) return false;
  await queueAccountMail(deps, 'manage', subscriber, now);
  return true;
}

export type LinkResult = { ok: true; subscriber: Subscriber } | { ok: false; reason: 'invalid' | 'expired' };

/** The subscriber a signed link acts for, if the link is genuine, current and for this purpose. */
export async function subscriberFromLink(
  deps: SubscriptionDeps,
  purpose: LinkPurpose,
  token: unknown,
  now = new Date(),
): Promise<LinkResult> {
  const check = verifyToken(deps.config.SECRET_KEY, purpose, token, now);
  if (!check.ok) return check;
  const subscriber = await getSubscriber(deps.db, check.subscriberId);
  return subscriber ? { ok: true, subscriber } : { ok: false, reason: 'invalid' };
}

export type ConfirmOutcome = 'confirmed' | 'already-active' | 'not-pending';

export async function confirmSubscription(
  deps: SubscriptionDeps,
  subscriber: Subscriber,
  now = new Date(),
): Promise<ConfirmOutcome> {
  if (subscriber.status === 'active') return 'already-active';
  return (await confirmSubscriber(deps.db, subscriber.id, now)) ? 'confirmed' : 'not-pending';
}

/** Ends a subscription and cancels its digests not yet sent; true when it was still on. */
export async function unsubscribe(deps: SubscriptionDeps, subscriber: Subscriber, now = new Date()): Promise<boolean> {
  const ended = await unsubscribeSubscriber(deps.db, subscriber.id, now);
  if (ended) await cancelPendingDigests(deps.db, subscriber.id, 'unsubscribed');
  return ended;
}
