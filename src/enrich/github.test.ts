import { describe, expect, it } from 'vitest';
import { rateLimitUntil, repoPath, starsOf } from './github.js';

const headers = (entries: Record<string, string>) => new Headers(entries);
const now = Date.parse('2026-12-01T00:00:00Z');

describe('rateLimitUntil', () => {
  it('stops at X-RateLimit-Reset when no request is left, refused or not', () => {
    const spent = headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 600) });
    expect(rateLimitUntil(403, spent, now)).toBe(now + 600_000);
    expect(rateLimitUntil(200, spent, now)).toBe(now + 600_000);
  });

  it('honours Retry-After on 403 and 429 (secondary limits), and waits a minute on a bare 429 or 403', () => {
    expect(rateLimitUntil(429, headers({ 'retry-after': '30' }), now)).toBe(now + 30_000);
    expect(rateLimitUntil(403, headers({ 'retry-after': '5' }), now)).toBe(now + 5_000);
    expect(rateLimitUntil(429, headers({}), now)).toBe(now + 60_000);
    expect(rateLimitUntil(403, headers({}), now)).toBe(now + 60_000);
  });

  it('carries on while requests are left, and reads nonsense headers as no reset time', () => {
    expect(rateLimitUntil(200, headers({ 'x-ratelimit-remaining': '59' }), now)).toBeNull();
    expect(rateLimitUntil(403, headers({ 'x-ratelimit-remaining': '12' }), now)).toBeNull();
    expect(rateLimitUntil(403, headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'soon' }), now)).toBe(
      now + 3_600_000,
    );
    expect(rateLimitUntil(429, headers({ 'retry-after': '1e99' }), now)).toBe(now + 60_000);
  });
});

describe('starsOf', () => {
  it('reads a non-negative whole stargazers_count and nothing else', () => {
    expect(starsOf({ stargazers_count: 1234, name: 'x' })).toBe(1234);
    expect(starsOf({ stargazers_count: 0 })).toBe(0);
    for (const wrong of [
      { stargazers_count: '12' },
      { stargazers_count: -1 },
      { stargazers_count: 1.5 },
      {},
      [],
      null,
      'x',
    ])
      expect(starsOf(wrong)).toBeNull();
    expect(starsOf({ stargazers_count: 2 ** 60 })).toBeNull();
  });
});

describe('repoPath', () => {
  it('gives owner/name of a GitHub repository URL only', () => {
    expect(repoPath('https://github.com/acme/sparse-attn.v2')).toBe('acme/sparse-attn.v2');
    expect(repoPath('https://github.com/acme/x/tree/main')).toBeNull();
    expect(repoPath('https://evil.example/acme/x')).toBeNull();
    expect(repoPath('https://github.com/../../admin')).toBeNull();
    expect(repoPath('https://github.com/../..')).toBeNull();
  });
});
