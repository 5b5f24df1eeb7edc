import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connection.js';
import { retryDelayMs } from '../store/jobs.js';
import { describeMailError, isBounce, type MailTransport } from '../mail/transport.js';
import {
  claimOutbox,
  markCancelled,
  markFailed,
  markRetry,
  markSent,
  renewOutboxLeases,
  type OutboxMessage,
} from '../store/outbox.js';
import type { OutboxKind } from '../db/schema.js';
import { getPapers, type Paper } from '../store/papers.js';
import {
  clearBounces,
  getSubscribers,
  recordBounce,
  recordMailError,
  type Subscriber,
} from '../store/subscriptions.js';
import { composeMail, type StoredDigest } from './message.js';

/** A temporary failure is retried with backoff (30 s, 2 min, 8 min … 6 h); after this many attempts it is given up. */
export const MAX_ATTEMPTS = 8;
/** Hard bounces in a row that disable a subscription. */
export const DISABLE_AFTER_BOUNCES = 3;
/** Messages a sender keeps claimed and in flight per SMTP connection: enough to keep each busy. */
export const IN_FLIGHT_PER_CONNECTION = 2;
export interface DeliveryDeps {
  db: Db;
  transport: MailTransport;
  config: Pick<Config, 'BASE_URL' | 'MAIL_FROM' | 'SECRET_KEY' | 'SMTP_MAX_CONNECTIONS' | 'JOB_LEASE_MS'>;
  logger: Logger;
}

export interface DeliveryOptions {
  workerId?: string;
  /** How long the sender holds the rows it claimed, renewed every third of it while they are in flight (JOB_LEASE_MS). */
  leaseMs?: number;
  /** Messages claimed and in flight at most (the window); a crash can resend at most these. */
  batchSize?: number;
  /** Stop after this many messages were claimed (the rest stay for the next run). */
  maxMessages?: number;
  /** Only messages of these kinds (account mail sent apart from digests); default every kind. */
  kinds?: OutboxKind[];
  now?: () => Date;
}

export interface DeliveryReport {
  sent: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

/** Papers of the digests being sent, loaded once per run (most subscribers share them). */
class PaperCache {
  readonly byId = new Map<string, Paper>();
  constructor(private readonly db: Db) {}

  async load(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.byId.has(id));
    for (let i = 0; i < missing.length; i += 500) {
      for (const paper of await getPapers(this.db, missing.slice(i, i + 500))) this.byId.set(paper.id, paper);
    }
  }
}

function whyNotSend(row: OutboxMessage, subscriber: Subscriber | undefined): string | null {
  if (!subscriber) return 'subscriber no longer exists';
  if (row.kind === 'digest' && subscriber.status !== 'active') return `subscription is ${subscriber.status}`;
  if (row.kind === 'confirm' && subscriber.status !== 'pending')
    return `subscription is ${subscriber.status}, not waiting for confirmation`;
  if (row.kind === 'manage' && !['active', 'pending'].includes(subscriber.status))
    return `subscription is ${subscriber.status}`;
  return null;
}

/**
 * Sends every due outbox message: claim (leased) → send → mark sent. A row is marked sent right
 * after the server accepted it, one row at a time, so a crash can only repeat messages in flight
 * whose acceptance was not recorded yet (at most the window, IN_FLIGHT_PER_CONNECTION per
 * connection); they carry the same Message-ID, so receivers drop the copy. A crash never loses
 * a message: a row not marked sent goes out again once its lease expires. The lease is short
 * (JOB_LEASE_MS) and renewed every third of it while the row is in flight, so a killed sender's rows
 * come back within a lease, and a live sender's never do; a sender that could not renew a row's
 * lease in time (or lost it) leaves the row unsent to whoever claims it next.
 */
export async function deliverDue(deps: DeliveryDeps, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const { db, logger } = deps;
  const now = options.now ?? (() => new Date());
  const workerId = options.workerId ?? `sender-${randomUUID().slice(0, 8)}`;
  const batchSize = options.batchSize ?? deps.config.SMTP_MAX_CONNECTIONS * IN_FLIGHT_PER_CONNECTION;
  const lease = options.leaseMs ?? deps.config.JOB_LEASE_MS;
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, cancelled: 0 };
  const papers = new PaperCache(db);
  let claimed = 0;

  const deliver = async (row: OutboxMessage, subscriber: Subscriber | undefined): Promise<void> => {
    const log = () => logger.child({ outbox: row.key, attempt: row.attempts });
    const reason = whyNotSend(row, subscriber);
    if (reason || !subscriber) {
      await markCancelled(db, row.id, reason ?? 'no subscriber');
      report.cancelled++;
      return;
    }
    // A sender that stalled past its lease may already have been replaced: leave the row to the new owner.
    const until = leases.get(row.id);
    if (!until || now() >= until) return;
    const mail = composeMail(row, subscriber, papers.byId, deps.config, now());
    if (!mail) {
      await markCancelled(db, row.id, 'every paper in the digest was removed');
      report.cancelled++;
      return;
    }
    try {
      await deps.transport.sendMail(mail);
    } catch (error) {
      const message = describeMailError(error);
      if (isBounce(error)) {
        await markFailed(db, row.id, message);
        const disabled = await recordBounce(db, subscriber.id, message, now(), DISABLE_AFTER_BOUNCES);
        report.failed++;
        log().warn({ error: message, disabled }, 'mail bounced');
      } else if (row.attempts >= MAX_ATTEMPTS) {
        await markFailed(db, row.id, message);
        await recordMailError(db, subscriber.id, `gave up after ${row.attempts} attempts: ${message}`, now());
        report.failed++;
        log().error({ error: message }, 'mail given up after repeated temporary failures');
      } else {
        await markRetry(db, row.id, message, new Date(now().getTime() + retryDelayMs(row.attempts)));
        report.retrying++;
        log().warn({ error: message }, 'mail deferred, will retry');
      }
      return;
    }
    await markSent(db, row.id, now());
    report.sent++;
    if (subscriber.bounceCount > 0) await clearBounces(db, subscriber.id);
  };

  // A sliding window: claim more as soon as half the window is free, so the pooled
  // connections never wait for the slowest message of a batch.
  const inFlight = new Set<Promise<void>>();
  const inFlightIds = new Set<number>();
  // The end of each in-flight row's lease, as last stored.
  const leases = new Map<number, Date>();
  const renew = async () => {
    const ids = [...inFlightIds];
    const until = new Date(now().getTime() + lease);
    try {
      const held = new Set(await renewOutboxLeases(db, workerId, ids, until));
      for (const id of ids) {
        if (held.has(id)) leases.set(id, until);
        else leases.delete(id);
      }
    } catch (error) {
      logger.warn({ err: error }, 'could not renew outbox leases');
    }
  };
  const heartbeat = setInterval(() => void renew(), lease / 3);
  heartbeat.unref();
  const wanted = () => Math.min(batchSize - inFlight.size, (options.maxMessages ?? Infinity) - claimed);
  try {
    for (;;) {
      if (inFlight.size > 0 && (inFlight.size > batchSize / 2 || wanted() <= 0)) {
        await Promise.race(inFlight);
        continue;
      }
      const rows =
        wanted() > 0 ? await claimOutbox(db, workerId, wanted(), lease, now(), [...inFlightIds], options.kinds) : [];
      if (rows.length === 0) {
        if (inFlight.size === 0) break;
        await Promise.race(inFlight);
        continue;
      }
      claimed += rows.length;
      const subscribers = await getSubscribers(
        db,
        rows.map((r) => r.subscriberId),
      );
      await papers.load(
        rows.flatMap((r) =>
          r.kind === 'digest' ? (r.content as StoredDigest).sections.flatMap((s) => s.paperIds) : [],
        ),
      );
      for (const row of rows) {
        if (row.lockedUntil) leases.set(row.id, new Date(row.lockedUntil));
        const delivery = deliver(row, subscribers.get(row.subscriberId))
          // An unexpected error (the database went away) leaves the row leased; it is retried when the lease ends.
          .catch((error: unknown) => logger.error({ err: error, outbox: row.key }, 'delivery step failed'))
          .finally(() => {
            inFlight.delete(delivery);
            inFlightIds.delete(row.id);
            leases.delete(row.id);
          });
        inFlight.add(delivery);
        inFlightIds.add(row.id);
      }
    }
  } finally {
    clearInterval(heartbeat);
  }
  return report;
}
