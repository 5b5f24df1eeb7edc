import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl, type Db } from './connection.js';

describe('parseDatabaseUrl', () => {
  it('selects PostgreSQL for postgres:// URLs and SQLite for paths and sqlite: URLs', () => {
    expect(parseDatabaseUrl('postgres://u@h/db')).toEqual({ dialect: 'postgres', connectionString: 'postgres://u@h/db' });
    expect(parseDatabaseUrl('sqlite:data/x.db')).toEqual({ dialect: 'sqlite', path: 'data/x.db' });
    expect(parseDatabaseUrl('./x.db')).toEqual({ dialect: 'sqlite', path: './x.db' });
  });
});

describe('SQLite connection with reused prepared statements', () => {
  let dir: string;
  let db: Db;
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a repeated query from the current schema and data after the schema changed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-connection-'));
    db = await openDatabase(join(dir, 'x.db'));
    await sql`CREATE TABLE t (a INTEGER)`.execute(db.kysely);
    await sql`INSERT INTO t VALUES (1)`.execute(db.kysely);
    const read = () => sql<Record<string, unknown>>`SELECT * FROM t`.execute(db.kysely).then((r) => r.rows);
    expect(await read()).toEqual([{ a: 1 }]);
    await sql`ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'`.execute(db.kysely);
    await sql`INSERT INTO t VALUES (2, 'y')`.execute(db.kysely);
    expect(await read()).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
    await sql`DROP TABLE t`.execute(db.kysely);
    await expect(read()).rejects.toThrow(/no such table: t/);
    await sql`CREATE TABLE t (c TEXT)`.execute(db.kysely);
    expect(await read()).toEqual([]);
  });
});
