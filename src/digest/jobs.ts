import { z } from 'zod';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connection.js';
import type { JobHandler } from '../jobs/worker.js';
import type { MailPool } from '../mail/transport.js';
import { enqueueJob } from '../store/jobs.js';
import { firstOutboxLeaseEnd } from '../store/outbox.js';
import type { OutboxKind } from '../db/schema.js';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { planDigests } from './plan.js';
import { deliverDue, type DeliveryOptions, type DeliveryReport } from './send.js';

const ACCOUNT_MAIL_KINDS: OutboxKind[] = ['confirm', 'manage'];

const planPayload = z.object({ frequency: z.enum(['daily', 'weekly']), period: z.string() });

/**
 * Drains the outbox once over the process's pooled transport (the one login links use), so runs
 * reuse its open connections instead of opening and closing their own.
 */
export async function sendDigests(
  ctx: { db: Db; config: Config; logger: Logger; mail: MailPool },
  options: DeliveryOptions = {},
): Promise<DeliveryReport> {
  return deliverDue({ ...ctx, transport: ctx.mail.transport }, options);
}

/**
 * Another `digest.send` for when the first lease on an unsent row ends: rows a killed sender had
 * claimed go out about a lease after it died, not at the next periodic sweep. (Rows a live sender
 * holds are renewed by then, and that sweep plans the next one.)
 */
async function sweepWhenLeasesEnd(db: Db): Promise<void> {
  const until = await firstOutboxLeaseEnd(db);
  if (!until) return;
  await enqueueJob(db, 'digest.send', {}, { runAt: until, uniqueKey: `digest.send:lease:${until.toISOString()}` });
}

/**
 * `digest.plan` fills the outbox for a period and wakes the senders; `digest.send` drains it;
 * `digest.account` sends only the confirmation and manage links (the mail lane), so a person
 * waiting for one never waits behind a day's digests.
 */
export function digestJobHandlers(ctx: {
  db: Db;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  mail: MailPool;
}): Record<string, JobHandler> {
  const logger = ctx.logger.child({ component: 'digest' });
  const count = (report: DeliveryReport) => {
    for (const outcome of ['sent', 'retrying', 'failed', 'cancelled'] as const) {
      if (report[outcome] > 0) ctx.metrics.mail.inc({ kind: 'outbox', outcome }, report[outcome]);
    }
  };
  return {
    'digest.plan': async (payload) => {
      const { frequency, period } = planPayload.parse(payload);
      const report = await planDigests(ctx.db, ctx.config, frequency, period);
      logger.info(report, 'digests planned');
      ctx.metrics.digestsPlanned.inc({ frequency });
      await enqueueJob(ctx.db, 'digest.send', {}, { uniqueKey: `digest.send:planned:${frequency}:${period}` });
    },
    'digest.send': async () => {
      const report = await sendDigests({ ...ctx, logger });
      count(report);
      if (report.sent + report.retrying + report.failed + report.cancelled > 0) logger.info(report, 'outbox drained');
      await sweepWhenLeasesEnd(ctx.db);
    },
    'digest.account': async () => {
      const report = await sendDigests({ ...ctx, logger }, { kinds: ACCOUNT_MAIL_KINDS });
      count(report);
      if (report.sent + report.retrying + report.failed + report.cancelled > 0)
        logger.info(report, 'account mail sent');
      await sweepWhenLeasesEnd(ctx.db);
    },
  };
}
