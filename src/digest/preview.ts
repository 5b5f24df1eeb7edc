import type { Config } from '../config/index.js';
import type { Db } from '../db/connection.js';
import type { OutboxMessage } from '../store/outbox.js';
import { getPapers } from '../store/papers.js';
import type { Subscriber } from '../store/subscriptions.js';
import { digestMembers, memberDigest } from './member-digest.js';
import { composeMail, digestKey, messageIdFor, type StoredDigest } from './message.js';
import { digestPeriod, PeriodPapers, paperCount } from './select.js';

export interface DigestPreview {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

/**
 * The digest a subscriber would get for a period, built exactly as the sender builds it
 * (same selection, same composer), without storing anything. Null when there is nothing to send.
 */
export async function previewDigest(
  db: Db,
  config: Pick<Config, 'BASE_URL' | 'MAIL_FROM' | 'SECRET_KEY' | 'DIGEST_TOP_N' | 'DIGEST_TOPIC_N'>,
  subscriber: Subscriber,
  periodKey: string,
  now = new Date(),
): Promise<DigestPreview | null> {
  const period = digestPeriod(subscriber.frequency, periodKey);
  if (!period)
    throw new Error(
      `not a ${subscriber.frequency === 'daily' ? 'day (YYYY-MM-DD)' : 'ISO week (YYYY-Www)'}: ${periodKey}`,
    );
  const papers = await PeriodPapers.load(db, period, config.DIGEST_TOP_N);
  const member = (await digestMembers(db, [subscriber])).get(subscriber.id);
  const limits = { topN: config.DIGEST_TOP_N, topicN: config.DIGEST_TOPIC_N };
  const content = await memberDigest(db, papers, subscriber, member, limits);
  if (paperCount(content) === 0) return null;
  const key = digestKey(subscriber.frequency, period.key, subscriber.id);
  const stored: StoredDigest = { frequency: subscriber.frequency, sections: content.sections };
  const row: OutboxMessage = {
    id: 0,
    key,
    kind: 'digest',
    subscriberId: subscriber.id,
    period: period.key,
    content: stored,
    status: 'pending',
    attempts: 0,
    messageId: messageIdFor(key, config.MAIL_FROM),
    lockedUntil: null,
    lastError: null,
    createdAt: now.toISOString(),
    sentAt: null,
  };
  const byId = new Map(
    (
      await getPapers(
        db,
        content.sections.flatMap((s) => s.paperIds),
      )
    ).map((p) => [p.id, p]),
  );
  const mail = composeMail(row, subscriber, byId, config, now);
  if (!mail) return null;
  return {
    subject: String(mail.subject),
    html: String(mail.html),
    text: String(mail.text),
    headers: mail.headers as Record<string, string>,
  };
}
