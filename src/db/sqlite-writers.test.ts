import { describe, expect, it } from 'vitest';
import { isSqliteBusy, retryWhileBusy } from './sqlite-writers.js';

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('retryWhileBusy', () => {
  it('tries again while SQLite answers busy, and returns the first success', async () => {
    let tries = 0;
    const result = await retryWhileBusy(async () => {
      tries++;
      if (tries < 4) throw busy();
      return 'stored';
    });
    expect(result).toBe('stored');
    expect(tries).toBe(4);
  });

  it('passes any other error through at once', async () => {
    let tries = 0;
    const constraint = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await expect(
      retryWhileBusy(async () => {
        tries++;
        throw constraint;
      }),
    ).rejects.toBe(constraint);
    expect(tries).toBe(1);
  });

  it('lets SQLITE_BUSY through once its budget is spent', async () => {
    await expect(retryWhileBusy(async () => Promise.reject(busy()), 30)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
  });

  it('knows every busy and locked code, and nothing else', () => {
    expect(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED'].map((code) => isSqliteBusy({ code }))).toEqual([
      true,
      true,
      true,
    ]);
    expect([{ code: 'SQLITE_FULL' }, new Error('x'), null, 'SQLITE_BUSY'].map(isSqliteBusy)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
