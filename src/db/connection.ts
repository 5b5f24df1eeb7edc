import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase } from 'kysely';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import type { Schema } from './schema.js';
import { SqliteReaders } from './sqlite-readers.js';
import { SQLITE_BUSY_TIMEOUT_MS, WaitingWriterSqliteDialect } from './sqlite-writers.js';

export type DialectName = 'sqlite' | 'postgres';

/** The database handle every store function takes: the query builder plus which dialect it speaks. */
export interface Db {
  kysely: Kysely<Schema>;
  dialect: DialectName;
  /** Where it lives, without credentials, for logs. */
  location: string;
  /** PostgreSQL: the pool's connections now (SQLite has one connection and no pool). */
  poolUse?(): { total: number; idle: number; waiting: number };
  /**
   * PostgreSQL: a connection of its own, outside the pool, for what lives as long as a session (LISTEN,
   * advisory locks). The caller ends it.
   */
  openSession?(): Promise<pg.Client>;
  close(): Promise<void>;
}

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; connectionString: string };

/** `postgres://…` selects PostgreSQL; `sqlite:PATH` or a plain path selects SQLite. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', connectionString: url };
  const path = url.replace(/^sqlite:(\/\/)?/i, '');
  if (path === '') throw new Error('DATABASE_URL names no SQLite file');
  return { dialect: 'sqlite', path };
}

// PostgreSQL returns BIGINT counts as strings by default; our counts always fit in a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** How many distinct SQL texts keep their prepared statement (the app issues a few dozen shapes). */
const STATEMENT_CACHE_SIZE = 200;

/**
 * better-sqlite3 for Kysely, reusing the prepared statement of an SQL text it has run before.
 * Kysely prepares every query afresh; compiling a 400-row insert costs more than running it, and
 * a web request's few selects pay it too. Queries run one at a time on this connection, so a
 * statement is never in use twice.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const statements = new LRUCache<string, SQLite.Statement>({ max: STATEMENT_CACHE_SIZE });
  return {
    close: () => sqlite.close(),
    prepare: (text) => {
      let statement = statements.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * A connection PostgreSQL drops (a restart, a failover, pg_terminate_backend) emits 'error' on its
 * client, idle in the pool or checked out between two queries, and an unheard 'error' ends the
 * process. Heard here: the pool discards the dead client, the query running on it fails (its request
 * answers 503, see unavailable.ts), and the next checkout connects afresh.
 */
function surviveDroppedConnections(pool: pg.Pool, onConnectionLost: (error: Error) => void): void {
  // An idle client's error reaches the pool's listener.
  pool.on('error', onConnectionLost);
  // A checked-out client's error also fails its next query, which reports it; nothing more to do.
  pool.on('connect', (client) => client.on('error', () => {}));
}

export interface OpenOptions {
  poolSize?: number;
  /** PostgreSQL cancels any statement running longer (0: never), so one query cannot hold a connection long. */
  statementTimeoutMs?: number;
  /** Told when PostgreSQL drops an idle connection (the pool replaces it by itself). */
  onConnectionLost?: (error: Error) => void;
  /** Threads that run a SQLite file's plain reads (sqlite-readers.ts); 0 runs them on the calling thread. */
  readerThreads?: number;
}

/** Two: a long search on one leaves the other to the pages; more would only share the same two cores. */
const SQLITE_READER_THREADS = 2;

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Db> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    const file = target.path === ':memory:' ? ':memory:' : resolve(target.path);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // Bulk writes (an import, a harvest page) touch index and full-text pages all over the file:
    // a 64 MiB page cache (allocated as used), statement journals in memory and a checkpoint every
    // ~40 MiB of WAL instead of every 4 MiB cut their I/O by a third.
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('temp_store = MEMORY');
    sqlite.pragma('wal_autocheckpoint = 10000');
    const readers =
      file === ':memory:' || options.readerThreads === 0
        ? null
        : new SqliteReaders(file, options.readerThreads ?? SQLITE_READER_THREADS);
    const kysely = new Kysely<Schema>({
      dialect: new WaitingWriterSqliteDialect(sqlite, withStatementCache(sqlite), readers),
    });
    return { kysely, dialect: 'sqlite', location: file, close: () => kysely.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: options.poolSize ?? 10,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  surviveDroppedConnections(pool, options.onConnectionLost ?? (() => {}));
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const location = target.connectionString.replace(/\/\/[^@/]*@/, '//');
  return {
    kysely,
    dialect: 'postgres',
    location,
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    openSession: async () => {
      const client = new pg.Client({ connectionString: target.connectionString });
      // A backend terminated as the session starts sends its error in the same read as "ready": the client
      // emits it before the caller's listeners can be attached, and an unheard 'error' ends the process. The
      // caller still learns of it: the client ends, and its first query fails.
      client.on('error', () => {});
      await client.connect();
      return client;
    },
    close: () => kysely.destroy(),
  };
}
