import { describe, expect, it } from 'vitest';
import { databaseUnavailable } from './unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('databaseUnavailable', () => {
  it('recognises a database that is away, busy or full, also when wrapped', () => {
    expect(
      databaseUnavailable(withCode('57P01', 'terminating connection due to administrator command'))?.retryAfterSeconds,
    ).toBe(5);
    expect(databaseUnavailable(withCode('ECONNREFUSED'))?.retryAfterSeconds).toBe(5);
    expect(databaseUnavailable(new Error('Connection terminated unexpectedly'))?.retryAfterSeconds).toBe(5);
    expect(databaseUnavailable(withCode('SQLITE_BUSY_SNAPSHOT'))?.message).toMatch(/busy/);
    expect(databaseUnavailable(withCode('SQLITE_FULL'))?.message).toMatch(/disk is full/);
    expect(databaseUnavailable(withCode('53100'))?.message).toMatch(/disk is full/);
    expect(databaseUnavailable(new Error('render failed', { cause: withCode('08006') }))?.retryAfterSeconds).toBe(5);
  });

  it('leaves every other error alone: a constraint, a syntax error, a bug', () => {
    expect(databaseUnavailable(withCode('23505', 'duplicate key'))).toBeNull();
    expect(databaseUnavailable(withCode('SQLITE_CONSTRAINT_UNIQUE'))).toBeNull();
    expect(databaseUnavailable(withCode('42601', 'syntax error'))).toBeNull();
    expect(databaseUnavailable(new TypeError('x is undefined'))).toBeNull();
    expect(databaseUnavailable('a string')).toBeNull();
  });
});
