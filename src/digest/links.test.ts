import { describe, expect, it } from 'vitest';
import { signedLink, signToken, verifyToken } from './links.js';

const secret = 'test-secret-0123456789';
const now = new Date('2026-11-29T08:00:00Z');

describe('signed links', () => {
  it('accepts its own token for the same purpose until it expires', () => {
    const token = signToken(secret, 'unsubscribe', 'sub1', now);
    expect(verifyToken(secret, 'unsubscribe', token, now)).toEqual({ ok: true, subscriberId: 'sub1' });
    expect(verifyToken(secret, 'unsubscribe', token, new Date('2027-11-28T08:00:00Z'))).toEqual({
      ok: true,
      subscriberId: 'sub1',
    });
    expect(verifyToken(secret, 'unsubscribe', token, new Date('2027-11-30T08:00:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
    const confirm = signToken(secret, 'confirm', 'sub1', now);
    expect(verifyToken(secret, 'confirm', confirm, new Date('2026-12-07T08:00:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('rejects forged, altered, re-purposed and malformed tokens', () => {
    const token = signToken(secret, 'manage', 'sub1', now);
    const [purpose, , expiry, signature] = token.split('.');
    const invalid = { ok: false, reason: 'invalid' };
    expect(verifyToken('another-secret-0123456789', 'manage', token, now)).toEqual(invalid);
    expect(verifyToken(secret, 'manage', `${purpose}.sub2.${expiry}.${signature}`, now)).toEqual(invalid);
    expect(verifyToken(secret, 'manage', `${purpose}.sub1.${Number(expiry) + 1000}.${signature}`, now)).toEqual(
      invalid,
    );
    expect(verifyToken(secret, 'unsubscribe', token, now)).toEqual(invalid);
    for (const bad of ['', 'manage', 'manage.sub1.1.', `${token}x`, 'a'.repeat(1000), 42, null]) {
      expect(verifyToken(secret, 'manage', bad, now)).toEqual(invalid);
    }
  });

  it('builds absolute links under BASE_URL', () => {
    const link = signedLink('https://papers.example.org', secret, 'confirm', 'sub1', now);
    const url = new URL(link);
    expect(url.origin + url.pathname).toBe('https://papers.example.org/subscriptions/confirm');
    expect(verifyToken(secret, 'confirm', url.searchParams.get('token'), now)).toMatchObject({ ok: true });
  });
});
