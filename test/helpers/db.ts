import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Db, type DialectName } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrations/index.js';

export interface TestDatabase {
  dialect: DialectName;
  /** A fresh, migrated, empty database; `db.close()` drops it. */
  create(): Promise<Db>;
}

export async function freshSqlite(): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'dailypapers-test-'));
  const db = await openDatabase(join(dir, 'test.db'));
  await migrate(db);
  const close = db.close;
  return {
    ...db,
    close: async () => {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Creates a uniquely named database on the server TEST_DATABASE_URL points at, and drops it on close
 * (unless `keep`: a benchmark's database kept to be looked at).
 */
export async function freshPostgres(
  adminUrl: string,
  options: { poolSize?: number; keep?: boolean } = {},
): Promise<Db> {
  const name = `dailypapers_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase(url.toString(), { poolSize: options.poolSize ?? 4 });
  await migrate(db);
  if (options.keep) return db;
  const close = db.close;
  return {
    ...db,
    close: async () => {
      await close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      // pg's pool.end() resolves before its sockets close; a forced drop while they close
      // makes those clients emit an unhandled "terminating connection" error. Let them go first.
      for (let i = 0; i < 50; i++) {
        const { rows } = await dropper.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [
          name,
        ]);
        if (rows[0].n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * The databases every store and API suite runs against: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set (as .ci/run does). Use with `describe.each(testDatabases())`. A suite about
 * concurrency asks for a larger PostgreSQL pool, so that its writers really overlap.
 */
export function testDatabases(options: { poolSize?: number } = {}): TestDatabase[] {
  const list: TestDatabase[] = [{ dialect: 'sqlite', create: freshSqlite }];
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) list.push({ dialect: 'postgres', create: () => freshPostgres(pgUrl, options) });
  return list;
}

/** The DATABASE_URL another process (a CLI child) can open the test database with. */
export function databaseUrl(db: Db): string {
  if (db.dialect === 'sqlite') return db.location;
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = new URL(db.location).pathname;
  return url.toString();
}
