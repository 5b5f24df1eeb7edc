import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { DigestFrequency, SubscriberStatus, SubscribersTable } from '../db/schema.js';

/** A digest subscriber: an address, how often, and what to send. No account is needed. */
export interface Subscriber {
  id: string;
  email: string;
  frequency: DigestFrequency;
  /** Send the period's top papers by upvotes. */
  includeTop: boolean;
  topics: string[];
  /** Add a "For you" section (only ever sent when the address is a member's). */
  forYou: boolean;
  status: SubscriberStatus;
  bounceCount: number;
  lastError: string | null;
  lastErrorAt: string | null;
  accountMailAt: string | null;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SubscriptionChoice {
  frequency: DigestFrequency;
  includeTop: boolean;
  topics: string[];
  forYou: boolean;
}

function toSubscriber(row: Selectable<SubscribersTable>): Subscriber {
  return {
    id: row.id,
    email: row.email,
    frequency: row.frequency,
    includeTop: row.include_top !== 0,
    topics: JSON.parse(row.topics) as string[],
    forYou: row.for_you !== 0,
    status: row.status,
    bounceCount: row.bounce_count,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    accountMailAt: row.account_mail_at,
    confirmedAt: row.confirmed_at,
    unsubscribedAt: row.unsubscribed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One subscription per mailbox, whatever the capitalisation. */
export function emailKey(email: string): string {
  return email.toLowerCase();
}

/** Deletes the subscription of an address, whatever its state, with its outbox rows. */
export async function deleteSubscriberByEmail(db: Db, email: string): Promise<void> {
  await db.kysely.deleteFrom('subscribers').where('email_key', '=', emailKey(email)).execute();
}

function choiceColumns(choice: SubscriptionChoice) {
  return {
    frequency: choice.frequency,
    include_top: choice.includeTop ? 1 : 0,
    topics: JSON.stringify(choice.topics),
    for_you: choice.forYou ? 1 : 0,
  };
}

export async function getSubscriber(db: Db, id: string): Promise<Subscriber | null> {
  const row = await db.kysely.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSubscriber(row) : null;
}

export async function getSubscriberByEmail(db: Db, email: string): Promise<Subscriber | null> {
  const row = await db.kysely
    .selectFrom('subscribers')
    .selectAll()
    .where('email_key', '=', emailKey(email))
    .executeTakeFirst();
  return row ? toSubscriber(row) : null;
}

export async function getSubscribers(db: Db, ids: readonly string[]): Promise<Map<string, Subscriber>> {
  if (ids.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('subscribers')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, toSubscriber(row)]));
}

/** Active subscribers of one frequency in id order, a page at a time (keyset pagination). */
export async function listActiveSubscribers(
  db: Db,
  frequency: DigestFrequency,
  afterId: string,
  limit: number,
): Promise<Subscriber[]> {
  const rows = await db.kysely
    .selectFrom('subscribers')
    .selectAll()
    .where('status', '=', 'active')
    .where('frequency', '=', frequency)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toSubscriber);
}

/** Stores a new, unconfirmed subscriber. */
export async function createSubscriber(
  db: Db,
  fields: { id: string; email: string } & SubscriptionChoice,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await db.kysely
    .insertInto('subscribers')
    .values({
      id: fields.id,
      email: fields.email,
      email_key: emailKey(fields.email),
      ...choiceColumns(fields),
      status: 'pending',
      created_at: at,
      updated_at: at,
    })
    .execute();
}

/** Replaces what a subscriber receives. */
export async function updateSubscription(db: Db, id: string, choice: SubscriptionChoice, now: Date): Promise<void> {
  await db.kysely
    .updateTable('subscribers')
    .set({ ...choiceColumns(choice), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Puts a subscriber (back) into waiting for confirmation, with a fresh choice. */
export async function resetToPending(db: Db, id: string, choice: SubscriptionChoice, now: Date): Promise<void> {
  await db.kysely
    .updateTable('subscribers')
    .set({ ...choiceColumns(choice), status: 'pending', bounce_count: 0, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function markAccountMailQueued(db: Db, id: string, now: Date): Promise<void> {
  await db.kysely.updateTable('subscribers').set({ account_mail_at: now.toISOString() }).where('id', '=', id).execute();
}

/** Activates a pending subscriber; false when it was not pending. */
export async function confirmSubscriber(db: Db, id: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  return changeStatus(db, id, ['pending'], { status: 'active', confirmed_at: at, updated_at: at });
}

/** Ends a subscription; false when there was none to end. */
export async function unsubscribeSubscriber(db: Db, id: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  return changeStatus(db, id, ['pending', 'active'], { status: 'unsubscribed', unsubscribed_at: at, updated_at: at });
}

/** Moves a subscriber out of one of the `from` statuses; false when it was in none of them. */
async function changeStatus(
  db: Db,
  id: string,
  from: SubscriberStatus[],
  change: Updateable<SubscribersTable>,
): Promise<boolean> {
  const result = await db.kysely
    .updateTable('subscribers')
    .set(change)
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A delivered message ends a run of bounces. */
export async function clearBounces(db: Db, id: string): Promise<void> {
  await db.kysely
    .updateTable('subscribers')
    .set({ bounce_count: 0 })
    .where('id', '=', id)
    .where('bounce_count', '>', 0)
    .execute();
}

/**
 * Records a hard bounce; the subscription is disabled once `disableAfter` bounces come in a row.
 * Returns whether it is now disabled.
 */
export async function recordBounce(
  db: Db,
  id: string,
  error: string,
  now: Date,
  disableAfter: number,
): Promise<boolean> {
  const row = await db.kysely
    .updateTable('subscribers')
    .set((eb) => ({
      bounce_count: eb('bounce_count', '+', 1),
      last_error: error,
      last_error_at: now.toISOString(),
      status: eb
        .case()
        .when(eb('bounce_count', '+', 1), '>=', disableAfter)
        .then('disabled' as SubscriberStatus)
        .else(eb.ref('status'))
        .end(),
    }))
    .where('id', '=', id)
    .returning('status')
    .executeTakeFirst();
  return row?.status === 'disabled';
}

/** Records a delivery problem that is not a bounce (the server stayed unreachable). */
export async function recordMailError(db: Db, id: string, error: string, now: Date): Promise<void> {
  await db.kysely
    .updateTable('subscribers')
    .set({ last_error: error, last_error_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}
