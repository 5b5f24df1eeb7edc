import { createHmac, timingSafeEqual } from 'node:crypto';
import { DEVELOPMENT_SECRET_KEY } from '../config/index.js';

/**
 * Signed links that act for a subscriber without a login: confirm, manage and unsubscribe.
 * A token is `purpose.subscriber.expiry.signature` (HMAC-SHA256 with SECRET_KEY), so a link
 * works for one purpose and one subscriber until it expires, and nobody can make one up.
 */
export type LinkPurpose = 'confirm' | 'manage' | 'unsubscribe';

const DAY_S = 86_400;
/** Confirmation is a one-off step; manage and unsubscribe links sit in old mail, so they live long. */
export const LINK_LIFETIME_S: Record<LinkPurpose, number> = {
  confirm: 7 * DAY_S,
  manage: 90 * DAY_S,
  unsubscribe: 365 * DAY_S,
};

export const LINK_PATHS: Record<LinkPurpose, string> = {
  confirm: '/subscriptions/confirm',
  manage: '/subscriptions/manage',
  unsubscribe: '/subscriptions/unsubscribe',
};

function sign(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

export function signToken(secret: string, purpose: LinkPurpose, subscriberId: string, now = new Date()): string {
  const expires = Math.floor(now.getTime() / 1000) + LINK_LIFETIME_S[purpose];
  const body = `${purpose}.${subscriberId}.${expires}`;
  return `${body}.${sign(secret, body)}`;
}

export type TokenCheck = { ok: true; subscriberId: string } | { ok: false; reason: 'invalid' | 'expired' };

export function verifyToken(secret: string, purpose: LinkPurpose, token: unknown, now = new Date()): TokenCheck {
  // Anyone can sign with the public default key, so nothing signed with it is taken as proof.
  if (secret === DEVELOPMENT_SECRET_KEY) return { ok: false, reason: 'invalid' };
  if (typeof token !== 'string' || token.length > 300) return { ok: false, reason: 'invalid' };
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== purpose || !/^\d+$/.test(parts[2]!)) return { ok: false, reason: 'invalid' };
  const body = parts.slice(0, 3).join('.');
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(parts[3]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  if (Number(parts[2]) * 1000 < now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subscriberId: parts[1]! };
}

/** The absolute URL of a link carrying a token. */
export function tokenLink(baseUrl: string, purpose: LinkPurpose, token: string): string {
  return `${baseUrl}${LINK_PATHS[purpose]}?token=${encodeURIComponent(token)}`;
}

/** The absolute URL of a freshly signed link. */
export function signedLink(
  baseUrl: string,
  secret: string,
  purpose: LinkPurpose,
  subscriberId: string,
  now = new Date(),
): string {
  return tokenLink(baseUrl, purpose, signToken(secret, purpose, subscriberId, now));
}
