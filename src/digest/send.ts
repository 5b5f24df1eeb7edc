import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connection.js';
import { retryDelayMs } from '../jobs/worker.js';
import { describeMailError, isPermanentFailure, type MailTransport } from '../mail/transport.js';
import { claimOutbox, markCancelled, markFailed, markRetry, markSent, type OutboxMessage } from '../store/outbox.js';
import { getPapers, type Paper } from '../store/papers.js';
import { clearBounces, getSubscribers, recordBounce, recordMailError, type Subscriber } from '../store/subscriptions.js';
import { composeMail, type StoredDigest } from './message.js';

/** A temporary failure is retried with backoff (30 s, 2 min, 8 min … 6 h); after this many attempts it is given up. */
export const MAX_ATTEMPTS = 8;
/** Hard bounces in a row that disable a subscription. */
export const DISABLE_AFTER_BOUNCES = 3;
/**
 * How long a sender holds the rows it claimed. A batch is at most 4 messages per pooled
 * connection, each bounded by the transport's 30 s socket timeout, so a live sender finishes
 * well inside the lease, and a dead sender's rows come back after it.
 */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface DeliveryDeps {
  db: Db;
  transport: MailTransport;
  config: Pick<Config, 'BASE_URL' | 'MAIL_FROM' | 'SECRET_KEY' | 'SMTP_MAX_CONNECTIONS'>;
  logger: Logger;
}

export interface DeliveryOptions {
  workerId?: string;
  leaseMs?: number;
  batchSize?: number;
  /** Stop after this many messages were claimed (the rest stay for the next run). */
  maxMessages?: number;
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
  if (row.kind === 'confirm' && subscriber.status !== 'pending') return `subscription is ${subscriber.status}, not waiting for confirmation`;
  if (row.kind === 'manage' && !['active', 'pending'].includes(subscriber.status)) return `subscription is ${subscriber.status}`;
  return null;
}

/**
 * Sends every due outbox message, a leased batch at a time: claim → send → mark sent. A row is
 * marked sent right after the server accepted it, one row at a time, so a crash can only repeat
 * the messages whose acceptance had not been recorded yet (at most one per pooled connection);
 * those carry the same Message-ID, so receivers drop the copy. A crash never loses a message:
 * a row that was not marked sent goes out again once its lease expires.
 */
export async function deliverDue(deps: DeliveryDeps, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const { db, logger } = deps;
  const now = options.now ?? (() => new Date());
  const workerId = options.workerId ?? `sender-${randomUUID().slice(0, 8)}`;
  const batchSize = options.batchSize ?? deps.config.SMTP_MAX_CONNECTIONS * 4;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, cancelled: 0 };
  const papers = new PaperCache(db);
  let claimed = 0;

  const deliver = async (row: OutboxMessage, subscriber: Subscriber | undefined): Promise<void> => {
    const log = logger.child({ outbox: row.key, attempt: row.attempts });
    const reason = whyNotSend(row, subscriber);
    if (reason || !subscriber) {
      await markCancelled(db, row.id, reason ?? 'no subscriber');
      report.cancelled++;
      return;
    }
    // A sender that stalled past its lease may already have been replaced: leave the row to the new owner.
    if (row.lockedUntil && now().toISOString() >= row.lockedUntil) return;
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
      if (isPermanentFailure(error)) {
        await markFailed(db, row.id, message);
        const disabled = await recordBounce(db, subscriber.id, message, now(), DISABLE_AFTER_BOUNCES);
        report.failed++;
        log.warn({ error: message, disabled }, 'mail bounced');
      } else if (row.attempts >= MAX_ATTEMPTS) {
        await markFailed(db, row.id, message);
        await recordMailError(db, subscriber.id, `gave up after ${row.attempts} attempts: ${message}`, now());
        report.failed++;
        log.error({ error: message }, 'mail given up after repeated temporary failures');
      } else {
        await markRetry(db, row.id, message, new Date(now().getTime() + retryDelayMs(row.attempts)));
        report.retrying++;
        log.warn({ error: message }, 'mail deferred, will retry');
      }
      return;
    }
    await markSent(db, row.id, now());
    report.sent++;
    if (subscriber.bounceCount > 0) await clearBounces(db, subscriber.id);
  };

  while (options.maxMessages === undefined || claimed < options.maxMessages) {
    const limit = Math.min(batchSize, (options.maxMessages ?? Infinity) - claimed);
    const rows = await claimOutbox(db, workerId, limit, leaseMs, now());
    if (rows.length === 0) break;
    claimed += rows.length;
    const subscribers = await getSubscribers(db, rows.map((r) => r.subscriberId));
    await papers.load(rows.flatMap((r) => (r.kind === 'digest' ? (r.content as StoredDigest).sections.flatMap((s) => s.paperIds) : [])));
    await Promise.all(
      rows.map((row) =>
        // An unexpected error (the database went away) leaves the row leased; it is retried when the lease ends.
        deliver(row, subscribers.get(row.subscriberId)).catch((error: unknown) => logger.error({ err: error, outbox: row.key }, 'delivery step failed')),
      ),
    );
  }
  return report;
}
