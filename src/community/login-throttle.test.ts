import { describe, expect, it } from 'vitest';
import { FAILURE_MEMORY_MS, secondsToWait, throttleKeys } from './login-throttle.js';

const at = (iso: string) => new Date(iso);

describe('secondsToWait', () => {
  it('lets the first failures of a pair through, then doubles the wait with each one', () => {
    const last = '2026-03-01T10:00:00.000Z';
    expect(secondsToWait('pair', undefined, at(last))).toBe(0);
    expect(secondsToWait('pair', { failures: 4, lastFailureAt: last }, at(last))).toBe(0);
    const waits = [5, 6, 7, 10].map((failures) => secondsToWait('pair', { failures, lastFailureAt: last }, at(last)));
    expect(waits).toEqual([15, 30, 60, 480]);
    expect(secondsToWait('pair', { failures: 40, lastFailureAt: last }, at(last))).toBe(900);
  });

  it('counts the wait from the last failure', () => {
    const record = { failures: 10, lastFailureAt: '2026-03-01T10:00:00.000Z' };
    expect(secondsToWait('pair', record, at('2026-03-01T10:00:30.000Z'))).toBe(450);
    expect(secondsToWait('pair', record, at('2026-03-01T10:08:00.000Z'))).toBe(0);
  });

  it('allows an account many more failures, from all addresses together, before it slows down', () => {
    const last = '2026-03-01T10:00:00.000Z';
    expect(secondsToWait('account', { failures: 49, lastFailureAt: last }, at(last))).toBe(0);
    expect(secondsToWait('account', { failures: 52, lastFailureAt: last }, at(last))).toBe(60);
  });

  it('forgets failures after a quiet day', () => {
    const record = { failures: 40, lastFailureAt: '2026-03-01T10:00:00.000Z' };
    expect(secondsToWait('pair', record, new Date(Date.parse(record.lastFailureAt) + FAILURE_MEMORY_MS))).toBe(0);
  });
});

describe('throttleKeys', () => {
  it('keys an account however its email is written, and each address separately, without keeping either', () => {
    const keys = throttleKeys(' Ada@Example.org', '198.51.100.1');
    expect(keys).toEqual(throttleKeys('ada@example.org', '198.51.100.1'));
    expect(keys.account).toBe(throttleKeys('ada@example.org', '203.0.113.9').account);
    expect(keys.pair).not.toBe(throttleKeys('ada@example.org', '203.0.113.9').pair);
    expect(JSON.stringify(keys)).not.toContain('ada');
    expect(throttleKeys('a\u0000b@example.org', '::1').pair).toMatch(/^pair:[\w-]+$/);
  });
});
