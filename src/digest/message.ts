import { createHash } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Config } from '../config/index.js';
import type { DigestFrequency } from '../db/schema.js';
import { senderDomain } from '../mail/transport.js';
import type { OutboxMessage } from '../store/outbox.js';
import type { Paper } from '../store/papers.js';
import type { Subscriber } from '../store/subscriptions.js';
import { renderConfirmation, renderManageLink } from './account-mail.js';
import { signedLink, signToken, tokenLink, type LinkPurpose } from './links.js';
import { renderDigest } from './render.js';
import { digestPeriod, type DigestContent } from './select.js';

export type MailSettings = Pick<Config, 'BASE_URL' | 'MAIL_FROM' | 'SECRET_KEY'>;

/** What a digest row stores: its frequency and the sections fixed at planning time. */
export interface StoredDigest extends DigestContent {
  frequency: DigestFrequency;
}

/** The same outbox key always gives the same Message-ID, so a receiver can drop a resent copy. */
export function messageIdFor(key: string, from: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${senderDomain(from)}>`;
}

export function digestKey(frequency: DigestFrequency, period: string, subscriberId: string): string {
  return `digest:${frequency}:${period}:${subscriberId}`;
}

/** RFC 2369 + RFC 8058 headers: an https link that takes a one-click POST, and a mailto fallback. */
export function unsubscribeHeaders(settings: MailSettings, unsubscribeToken: string): Record<string, string> {
  const domain = senderDomain(settings.MAIL_FROM);
  const url = tokenLink(settings.BASE_URL, 'unsubscribe', unsubscribeToken);
  const mailto = `mailto:unsubscribe@${domain}?subject=${encodeURIComponent(`unsubscribe ${unsubscribeToken}`)}`;
  return {
    'List-Unsubscribe': `<${url}>, <${mailto}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `dailypapers digest <digest.${domain}>`,
  };
}

/**
 * Turns an outbox row into the message to hand to SMTP. `papersById` holds the papers a digest
 * names; hidden or deleted ones are left out, and a digest with nothing left gives null.
 */
export function composeMail(
  row: OutboxMessage,
  subscriber: Subscriber,
  papersById: ReadonlyMap<string, Paper>,
  settings: MailSettings,
  now: Date,
): Mail.Options | null {
  const base = {
    from: settings.MAIL_FROM,
    to: subscriber.email,
    messageId: row.messageId,
    headers: { 'Auto-Submitted': 'auto-generated' } as Record<string, string>,
  };
  const link = (purpose: LinkPurpose) =>
    signedLink(settings.BASE_URL, settings.SECRET_KEY, purpose, subscriber.id, now);
  const baseUrl = settings.BASE_URL;
  if (row.kind === 'confirm')
    return { ...base, ...renderConfirmation(subscriber, { baseUrl, confirm: link('confirm') }) };
  if (row.kind === 'manage')
    return {
      ...base,
      ...renderManageLink(subscriber, { baseUrl, manage: link('manage'), unsubscribe: link('unsubscribe') }),
    };

  const stored = row.content as StoredDigest;
  const period = row.period ? digestPeriod(stored.frequency, row.period) : null;
  if (!period) throw new Error(`outbox row ${row.key} names no valid period`);
  const sections = stored.sections
    .map((s) => ({
      title: s.title,
      papers: s.paperIds.flatMap((id) => papersById.get(id) ?? []).filter((p) => !p.hidden),
      reasons: s.reasons,
    }))
    .filter((s) => s.papers.length > 0);
  if (sections.length === 0) return null;
  const unsubscribeToken = signToken(settings.SECRET_KEY, 'unsubscribe', subscriber.id, now);
  const headers = { ...base.headers, ...unsubscribeHeaders(settings, unsubscribeToken) };
  const unsubscribeUrl = tokenLink(baseUrl, 'unsubscribe', unsubscribeToken);
  const rendered = renderDigest({
    frequency: stored.frequency,
    period,
    sections,
    baseUrl,
    manageUrl: link('manage'),
    unsubscribeUrl,
  });
  return { ...base, ...rendered, headers };
}
