import { isSqliteBusy } from './sqlite-writers.js';

/**
 * Errors that mean the database cannot serve right now, not that the request or the code is wrong:
 * PostgreSQL away (restarting, failing over, its backends terminated), a disk full, a lock held too
 * long by another writer, a web request's statement past its timeout. Every HTTP surface answers
 * them with 503 and Retry-After, and the server recovers by itself once the database does: nothing
 * here is kept across requests.
 */
export interface DatabaseUnavailable {
  /** What a reader is told. */
  message: string;
  retryAfterSeconds: number;
}

const away: DatabaseUnavailable = {
  message: 'The database is unavailable for a moment. Please try again shortly.',
  retryAfterSeconds: 5,
};
const busy: DatabaseUnavailable = {
  message: 'The database is busy with other writes. Please try again shortly.',
  retryAfterSeconds: 2,
};
/** A web request's statement ran past STATEMENT_TIMEOUT_MS and PostgreSQL cancelled it (code 57014). */
const tooLong: DatabaseUnavailable = {
  message:
    'This request needed more work than the server allows for one request. ' +
    'Narrow it down (fewer filters, a shorter query) or try again later.',
  retryAfterSeconds: 10,
};
const full: DatabaseUnavailable = {
  message: 'The database cannot store anything more right now (its disk is full). Reading still works.',
  retryAfterSeconds: 60,
};

// SQLSTATE classes 08 (connection exception) and 57P0x (shutdown, cannot connect now); 53100 is disk_full,
// the rest of class 53 (out of memory, too many connections) passes like an outage.
const postgresAway = /^(08...|57P0[1-4]|53[2-4]00)$/;
const socketAway = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// node-postgres reports a lost connection by message only.
const poolAway =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

function classify(error: { code?: unknown; message?: unknown }): DatabaseUnavailable | null {
  const code = typeof error.code === 'string' ? error.code : '';
  if (isSqliteBusy(error)) return busy;
  const message = typeof error.message === 'string' ? error.message : '';
  if (code === '57014' && message.includes('statement timeout')) return tooLong;
  if (code === 'SQLITE_FULL' || code === '53100') return full;
  if (code.startsWith('SQLITE_IOERR') || postgresAway.test(code) || socketAway.has(code)) return away;
  if (poolAway.test(message)) return away;
  return null;
}

/** Why the database cannot serve now, when `error` (or an error it wraps) says so; null for any other error. */
export function databaseUnavailable(error: unknown): DatabaseUnavailable | null {
  for (let cause = error, depth = 0; cause && typeof cause === 'object' && depth < 5; depth++) {
    const found = classify(cause as { code?: unknown; message?: unknown });
    if (found) return found;
    cause = (cause as { cause?: unknown }).cause;
  }
  return null;
}
