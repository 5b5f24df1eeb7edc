import type { Config } from '../config/index.js';
import type { Db } from '../db/connection.js';
import type { DigestFrequency } from '../db/schema.js';
import { addToOutbox, type NewOutboxMessage } from '../store/outbox.js';
import { listActiveSubscribers } from '../store/subscriptions.js';
import { digestMembers, memberDigest } from './member-digest.js';
import { digestKey, messageIdFor, type StoredDigest } from './message.js';
import { digestPeriod, PeriodPapers, paperCount } from './select.js';

export interface PlanReport {
  frequency: DigestFrequency;
  period: string;
  /** Active subscribers of this frequency. */
  subscribers: number;
  /** Digests added to the outbox now. */
  planned: number;
  /** Digests that were already in the outbox (planning again adds nothing). */
  alreadyPlanned: number;
  /** Subscribers with nothing to read this period: no mail (a day without papers is skipped). */
  empty: number;
}

const PAGE = 2000;

/**
 * Plans one period's digests: for every active subscriber of the frequency, selects the papers
 * and adds one outbox row under the key (frequency, period, subscriber). Idempotent: a second
 * run, or two schedulers at once, add nothing.
 */
export async function planDigests(
  db: Db,
  config: Pick<Config, 'MAIL_FROM' | 'DIGEST_TOP_N' | 'DIGEST_TOPIC_N'>,
  frequency: DigestFrequency,
  periodKey: string,
  now = new Date(),
): Promise<PlanReport> {
  const period = digestPeriod(frequency, periodKey);
  if (!period)
    throw new Error(
      frequency === 'daily' ? `not a day (YYYY-MM-DD): ${periodKey}` : `not an ISO week (YYYY-Www): ${periodKey}`,
    );
  const papers = await PeriodPapers.load(db, period, config.DIGEST_TOP_N);
  const limits = { topN: config.DIGEST_TOP_N, topicN: config.DIGEST_TOPIC_N };
  const report: PlanReport = { frequency, period: period.key, subscribers: 0, planned: 0, alreadyPlanned: 0, empty: 0 };

  for (let afterId = ''; ; ) {
    const subscribers = await listActiveSubscribers(db, frequency, afterId, PAGE);
    if (subscribers.length === 0) break;
    afterId = subscribers[subscribers.length - 1]!.id;
    report.subscribers += subscribers.length;
    const members = await digestMembers(db, subscribers);
    const rows: NewOutboxMessage[] = [];
    for (const subscriber of subscribers) {
      const content = await memberDigest(db, papers, subscriber, members.get(subscriber.id), limits);
      if (paperCount(content) === 0) {
        report.empty++;
        continue;
      }
      const key = digestKey(frequency, period.key, subscriber.id);
      const stored: StoredDigest = { frequency, sections: content.sections };
      rows.push({
        key,
        kind: 'digest',
        subscriberId: subscriber.id,
        period: period.key,
        content: stored,
        messageId: messageIdFor(key, config.MAIL_FROM),
      });
    }
    const added = await addToOutbox(db, rows, now);
    report.planned += added;
    report.alreadyPlanned += rows.length - added;
  }
  return report;
}
