import { sql, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import type { OutboxKind, OutboxStatus, OutboxTable } from '../db/schema.js';

/**
 * The mail outbox: one row per message under a unique key. Rows are leased to one sender at a
 * time and marked sent only after the SMTP server accepted the message.
 */
export interface OutboxMessage {
  id: number;
  key: string;
  kind: OutboxKind;
  subscriberId: string;
  period: string | null;
  content: unknown;
  status: OutboxStatus;
  attempts: number;
  messageId: string;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface NewOutboxMessage {
  key: string;
  kind: OutboxKind;
  subscriberId: string;
  period?: string | null;
  content?: unknown;
  messageId: string;
}

function toMessage(row: Selectable<OutboxTable>): OutboxMessage {
  return {
    id: Number(row.id),
    key: row.key,
    kind: row.kind,
    subscriberId: row.subscriber_id,
    period: row.period,
    content: JSON.parse(row.content),
    status: row.status,
    attempts: row.attempts,
    messageId: row.message_id,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

const INSERT_CHUNK = 500;

/** Adds messages; a key already present is left alone, so planning twice adds nothing. Returns how many were added. */
export async function addToOutbox(db: Db, messages: readonly NewOutboxMessage[], now = new Date()): Promise<number> {
  const at = now.toISOString();
  let added = 0;
  for (let i = 0; i < messages.length; i += INSERT_CHUNK) {
    const rows: Insertable<OutboxTable>[] = messages.slice(i, i + INSERT_CHUNK).map((m) => ({
      key: m.key,
      kind: m.kind,
      subscriber_id: m.subscriberId,
      period: m.period ?? null,
      content: JSON.stringify(m.content ?? {}),
      run_at: at,
      message_id: m.messageId,
      created_at: at,
    }));
    const result = await db.kysely
      .insertInto('outbox')
      .values(rows)
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/**
 * Leases up to `limit` due messages to one sender. On PostgreSQL concurrent senders skip each
 * other's rows (FOR UPDATE SKIP LOCKED); SQLite serialises writers, so the UPDATE alone is atomic.
 * A lease that runs out (the sender died) makes the row claimable again from its last instant on, except to the sender
 * that still has it in flight (`inFlightIds`): claiming it again would send it twice.
 */
export async function claimOutbox(
  db: Db,
  workerId: string,
  limit: number,
  leaseMs: number,
  now = new Date(),
  inFlightIds: number[] = [],
  kinds?: OutboxKind[],
): Promise<OutboxMessage[]> {
  const nowIso = now.toISOString();
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  const notInFlight = inFlightIds.length > 0 ? sql`AND id NOT IN (${sql.join(inFlightIds)})` : sql``;
  const ofKinds = kinds ? sql`AND kind IN (${sql.join(kinds)})` : sql``;
  const { rows } = await sql<Selectable<OutboxTable>>`
    UPDATE outbox SET locked_by = ${workerId}, locked_until = ${leaseUntil}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM outbox
      WHERE status = 'pending' AND run_at <= ${nowIso} AND (locked_until IS NULL OR locked_until <= ${nowIso}) ${notInFlight} ${ofKinds}
      ORDER BY run_at, id
      LIMIT ${limit}
      ${dialectOf(db).skipLockedRows}
    )
    RETURNING *`.execute(db.kysely);
  return rows.map(toMessage).sort((a, b) => a.id - b.id);
}

/**
 * Extends the leases a sender still holds on rows it has in flight, to `until`; returns the ids it
 * still holds (a row settled meanwhile, or taken over after a lease ran out, is not among them).
 */
export async function renewOutboxLeases(db: Db, workerId: string, ids: number[], until: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.kysely
    .updateTable('outbox')
    .set({ locked_until: until.toISOString() })
    .where('id', 'in', ids)
    .where('locked_by', '=', workerId)
    .where('status', '=', 'pending')
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** When the first lease on a due, unsent row ends (a sender's still running, or a dead sender's), if any. */
export async function firstOutboxLeaseEnd(db: Db, now = new Date()): Promise<Date | null> {
  const row = await db.kysely
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('locked_until').as('until'))
    .where('status', '=', 'pending')
    .where('locked_until', '>', now.toISOString())
    .executeTakeFirst();
  return row?.until ? new Date(row.until) : null;
}

async function settle(
  db: Db,
  id: number,
  set: { status: OutboxStatus; last_error?: string | null; sent_at?: string; run_at?: string },
): Promise<void> {
  await db.kysely
    .updateTable('outbox')
    .set({ ...set, locked_by: null, locked_until: null })
    .where('id', '=', id)
    .execute();
}

export async function markSent(db: Db, id: number, now = new Date()): Promise<void> {
  await settle(db, id, { status: 'sent', sent_at: now.toISOString(), last_error: null });
}

/** Gives the row back for another attempt at `retryAt`. */
export async function markRetry(db: Db, id: number, error: string, retryAt: Date): Promise<void> {
  await settle(db, id, { status: 'pending', last_error: error, run_at: retryAt.toISOString() });
}

export async function markFailed(db: Db, id: number, error: string): Promise<void> {
  await settle(db, id, { status: 'failed', last_error: error });
}

export async function markCancelled(db: Db, id: number, reason: string): Promise<void> {
  await settle(db, id, { status: 'cancelled', last_error: reason });
}

/** Cancels a subscriber's digests that have not gone out yet (after an unsubscribe). */
export async function cancelPendingDigests(db: Db, subscriberId: string, reason: string): Promise<number> {
  const result = await db.kysely
    .updateTable('outbox')
    .set({ status: 'cancelled', last_error: reason })
    .where('subscriber_id', '=', subscriberId)
    .where('kind', '=', 'digest')
    .where('status', '=', 'pending')
    .where('locked_until', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function getOutboxMessage(db: Db, key: string): Promise<OutboxMessage | null> {
  const row = await db.kysely.selectFrom('outbox').selectAll().where('key', '=', key).executeTakeFirst();
  return row ? toMessage(row) : null;
}

export async function listOutbox(
  db: Db,
  filter: { subscriberId?: string; kind?: OutboxKind } = {},
): Promise<OutboxMessage[]> {
  let q = db.kysely.selectFrom('outbox').selectAll();
  if (filter.subscriberId) q = q.where('subscriber_id', '=', filter.subscriberId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  return (await q.orderBy('id').execute()).map(toMessage);
}

export type OutboxCounts = Record<OutboxStatus, number>;

export async function countOutbox(db: Db): Promise<OutboxCounts> {
  const rows = await db.kysely
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts: OutboxCounts = { pending: 0, sent: 0, failed: 0, cancelled: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
