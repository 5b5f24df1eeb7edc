import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fixedWindow } from '../../src/community/rate-limit.js';
import { testDatabases } from '../helpers/db.js';
import { WebClient } from '../helpers/web-client.js';
import { startCommunityServer } from './fixtures.js';

/**
 * Per-IP limits over real HTTP, with clients that name an address of their choosing in
 * X-Forwarded-For: two login attempts per IP in the window, plenty per account.
 */
describe.each(testDatabases())('X-Forwarded-For and per-IP limits on $dialect', ({ create }) => {
  /** The statuses of login attempts, each naming the given X-Forwarded-For, on a fresh server and database. */
  async function loginAttempts(trustProxy: string | null, forwardedFor: string[]): Promise<number[]> {
    const db = await create();
    const server = await startCommunityServer(db, {
      RATE_LIMIT_LOGIN: '100,2/15m',
      ...(trustProxy === null ? {} : { TRUST_PROXY: trustProxy }),
    });
    try {
      // Limits count in fixed 15-minute windows: attempts that straddle a window's end would start afresh (a CI
      // run met one), so a run that close to the end waits for the next window.
      const { secondsLeft } = fixedWindow(new Date(), 15 * 60);
      if (secondsLeft <= 10) await sleep(secondsLeft * 1000);
      const statuses = [];
      for (const [i, address] of forwardedFor.entries()) {
        const client = new WebClient(server.url, { 'x-forwarded-for': address });
        await client.page('/login');
        statuses.push((await client.post('/login', { email: `nobody${i}@example.org`, password: 'guess' })).status);
      }
      return statuses;
    } finally {
      await server.close();
      await db.close();
    }
  }

  it('ignores a spoofed X-Forwarded-For by default: every attempt counts against the connecting address', async () => {
    expect(await loginAttempts(null, ['198.51.100.1', '198.51.100.2', '198.51.100.3'])).toEqual([401, 401, 429]);
  });

  it('ignores it when the connecting address is not one of the configured proxies', async () => {
    expect(await loginAttempts('10.0.0.0/8,192.0.2.10', ['198.51.100.1', '198.51.100.2', '198.51.100.3'])).toEqual([
      401, 401, 429,
    ]);
  });

  it('honours it from a configured proxy (here the loopback range), limiting the client it names', async () => {
    expect(await loginAttempts('127.0.0.1/8', ['198.51.100.1', '198.51.100.2', '198.51.100.3'])).toEqual([
      401, 401, 401,
    ]);
    expect(await loginAttempts('loopback', ['203.0.113.5', '203.0.113.5', '203.0.113.5'])).toEqual([401, 401, 429]);
    expect(await loginAttempts('true', ['203.0.113.6', '203.0.113.7', '203.0.113.6', '203.0.113.6'])).toEqual([
      401, 401, 401, 429,
    ]);
  });

  it('with a hop count, believes only the hops the proxies added, not what the client wrote before them', async () => {
    // One proxy appends the address it saw; whatever the client put in front of it is ignored.
    expect(await loginAttempts('1', ['1.1.1.1, 203.0.113.8', '2.2.2.2, 203.0.113.8', '3.3.3.3, 203.0.113.8'])).toEqual([
      401, 401, 429,
    ]);
    expect(
      await loginAttempts('1', ['1.1.1.1, 203.0.113.9', '1.1.1.1, 203.0.113.10', '1.1.1.1, 203.0.113.11']),
    ).toEqual([401, 401, 401]);
  });
});
