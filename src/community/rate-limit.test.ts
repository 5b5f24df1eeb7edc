import { describe, expect, it } from 'vitest';
import { bucketName, fixedWindow } from './rate-limit.js';

describe('fixedWindow', () => {
  it('starts windows on multiples of their length and counts the seconds left', () => {
    expect(fixedWindow(new Date('2026-03-01T10:07:30Z'), 900)).toEqual({
      start: '2026-03-01T10:00:00.000Z',
      secondsLeft: 450,
    });
    expect(fixedWindow(new Date('2026-03-01T10:15:00Z'), 900)).toEqual({
      start: '2026-03-01T10:15:00.000Z',
      secondsLeft: 900,
    });
  });

  it('never tells a client to retry in zero seconds', () => {
    expect(fixedWindow(new Date('2026-03-01T10:14:59.900Z'), 900).secondsLeft).toBe(1);
  });
});

describe('bucketName', () => {
  it('turns whatever a client typed into a short ASCII key, one per action, kind and client', () => {
    const key = bucketName('login', 'account', 'a\u0000b@example.org\ud800');
    expect(key).toMatch(/^login:account:[\w-]{22}$/);
    expect(bucketName('login', 'account', 'a\u0000b@example.org\ud800')).toBe(key);
    expect(bucketName('login', 'account', 'ab@example.org')).not.toBe(key);
    const email = 'ab@example.org';
    expect(bucketName('signup', 'account', email)).not.toBe(bucketName('login', 'account', email));
  });
});
