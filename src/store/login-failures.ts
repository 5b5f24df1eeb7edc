import { sql } from 'kysely';
import type { Db } from '../db/connection.js';

export interface LoginFailures {
  failures: number;
  lastFailureAt: string;
}

/** The failed-login counts stored under these keys. */
export async function loginFailures(db: Db, keys: string[]): Promise<Map<string, LoginFailures>> {
  const rows = await db.kysely.selectFrom('login_failures').selectAll().where('key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.key, { failures: r.failures, lastFailureAt: r.last_failure_at }]));
}

/** Counts a failure under each key, starting again from one where the last failure is older than `forgetBefore`. */
export async function recordLoginFailure(db: Db, keys: string[], now: Date, forgetBefore: Date): Promise<void> {
  await db.kysely
    .insertInto('login_failures')
    .values(keys.map((key) => ({ key, failures: 1, last_failure_at: now.toISOString() })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql`CASE WHEN login_failures.last_failure_at < ${forgetBefore.toISOString()}
          THEN 1 ELSE login_failures.failures + 1 END`,
        last_failure_at: (eb) => eb.ref('excluded.last_failure_at'),
      }),
    )
    .execute();
}

export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.kysely.deleteFrom('login_failures').where('key', '=', key).execute();
}

/** Drops counts whose last failure is older than `before`. */
export async function pruneLoginFailures(db: Db, before: Date): Promise<number> {
  const result = await db.kysely
    .deleteFrom('login_failures')
    .where('last_failure_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
