import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, parseDatabaseUrl, type Db } from './connection.js';

describe('parseDatabaseUrl', () => {
  it('selects PostgreSQL for postgres:// URLs and SQLite for paths and sqlite: URLs', () => {
    expect(parseDatabaseUrl('postgres://u@h/db')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u@h/db',
    });
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
    expect(await read()).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    await sql`DROP TABLE t`.execute(db.kysely);
    await expect(read()).rejects.toThrow(/no such table: t/);
    await sql`CREATE TABLE t (c TEXT)`.execute(db.kysely);
    expect(await read()).toEqual([]);
  });
});

describe('SQLite reads on reader threads', () => {
  let dir: string;
  let db: Db;
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the event loop free while a long read runs, and gives BLOBs back as Buffers', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-readers-'));
    db = await openDatabase(join(dir, 'x.db'));
    await sql`CREATE TABLE t (v BLOB)`.execute(db.kysely);
    await sql`INSERT INTO t VALUES (${Buffer.from([1, 2, 3])})`.execute(db.kysely);
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 1);
    const long = sql<{
      n: number;
    }>`WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000) SELECT count(*) AS n FROM c`;
    const { rows } = await long.execute(db.kysely);
    clearInterval(ticking);
    expect(rows).toEqual([{ n: 3_000_000 }]);
    expect(ticks).toBeGreaterThan(0);
    const [row] = (await sql<{ v: Buffer }>`SELECT v FROM t`.execute(db.kysely)).rows;
    expect(Buffer.isBuffer(row!.v)).toBe(true);
    expect([...row!.v]).toEqual([1, 2, 3]);
  });

  it('sees what is committed and nothing of a transaction still open', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-readers-'));
    db = await openDatabase(join(dir, 'x.db'));
    await sql`CREATE TABLE t (a INTEGER)`.execute(db.kysely);
    const count = async () =>
      Number((await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(db.kysely)).rows[0]!.n);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: (sawInside: number) => void;
    const insideSaw = new Promise<number>((resolve) => (inserted = resolve));
    const transaction = db.kysely.transaction().execute(async (tx) => {
      await sql`INSERT INTO t VALUES (1)`.execute(tx);
      inserted(Number((await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(tx)).rows[0]!.n));
      await held;
    });
    expect(await insideSaw).toBe(1);
    expect(await count()).toBe(0);
    release();
    await transaction;
    expect(await count()).toBe(1);
  });
});
