import { setTimeout as sleep } from 'node:timers/promises';
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type SqliteDatabase,
} from 'kysely';
import type { SqliteReaders } from './sqlite-readers.js';

/**
 * SQLite takes one writer at a time, across every process on the file (the server, an import,
 * a second server). A writer that finds the lock taken gets SQLITE_BUSY; this module is the one
 * place that waits for its turn. SQLite's own busy handler waits only briefly, because it blocks
 * the event loop while it sleeps; longer waits happen here, asynchronously, so pages keep
 * answering meanwhile.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 50;

/** How long one statement or transaction start waits in all before its SQLITE_BUSY surfaces (a 503). */
const BUSY_WAIT_BUDGET_MS = 20_000;
const FIRST_RETRY_MS = 5;
const LONGEST_RETRY_MS = 100;

export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, waiting longer between tries (with jitter,
 * so waiting processes do not retry in step) until `budgetMs` is spent. Only for work that SQLite
 * undid as a whole when it answered busy: a statement outside a transaction, a BEGIN, a COMMIT.
 */
export async function retryWhileBusy<T>(attempt: () => Promise<T>, budgetMs = BUSY_WAIT_BUDGET_MS): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, LONGEST_RETRY_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay / 2 + Math.random() * delay);
    }
  }
}

/**
 * Kysely's SQLite driver, changed where writers meet: a transaction starts with BEGIN IMMEDIATE, so
 * it takes the write lock at its start, where waiting for it is safe, instead of at its first write,
 * where a transaction that has read already can only fail (SQLITE_BUSY_SNAPSHOT, whatever the busy
 * timeout); statements outside a transaction and BEGIN and COMMIT wait their turn; and a rollback
 * after SQLite already undid the transaction (on a full disk, an I/O error) is skipped, so the
 * original error reaches the caller. A plain read outside a transaction goes to the reader threads
 * (sqlite-readers.ts), when there are any, without waiting for the connection.
 */
class WaitingWriterDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly sqlite: SQLite.Database,
    private readonly database: SqliteDatabase,
    private readonly readers: SqliteReaders | null,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new SharedConnection(
      this.inner,
      this.sqlite,
      this.readers ? (sql) => this.isPlainRead(sql) : () => false,
      this.readers,
    );
  }

  /** A SELECT (or a WITH that writes nothing): safe on another connection, which sees what is committed. */
  private isPlainRead(sql: string): boolean {
    return /^\s*(select|with)\b/i.test(sql) && (this.database.prepare(sql) as SQLite.Statement).readonly;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SharedConnection).hold();
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await retryWhileBusy(() => connection.executeQuery(CompiledQuery.raw('commit')));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.sqlite.inTransaction) await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return (connection as SharedConnection).release();
  }

  async destroy(): Promise<void> {
    await this.readers?.close();
    await this.inner.destroy();
  }
}

/**
 * What Kysely takes as a connection: the server's one connection, taken (Kysely lets one query or
 * transaction at a time have it) only when a statement needs it; plain reads outside a transaction go
 * to the reader threads without taking it.
 */
class SharedConnection implements DatabaseConnection {
  private held: DatabaseConnection | null = null;

  constructor(
    private readonly inner: Driver,
    private readonly sqlite: SQLite.Database,
    private readonly isPlainRead: (sql: string) => boolean,
    private readonly readers: SqliteReaders | null,
  ) {}

  /** Takes the server's connection for the rest of this query or transaction. */
  async hold(): Promise<DatabaseConnection> {
    this.held ??= await this.inner.acquireConnection();
    return this.held;
  }

  async release(): Promise<void> {
    if (this.held) await this.inner.releaseConnection(this.held);
    this.held = null;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.held && this.readers && this.isPlainRead(query.sql)) {
      return { rows: (await this.readers.all(query.sql, query.parameters)) as R[] };
    }
    const connection = await this.hold();
    return this.sqlite.inTransaction
      ? connection.executeQuery(query)
      : retryWhileBusy(() => connection.executeQuery(query));
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    yield* (await this.hold()).streamQuery<R>(query, chunkSize);
  }
}

/** Kysely's SQLite dialect over `database`, with writers that wait their turn (see WaitingWriterDriver). */
export class WaitingWriterSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly database: SqliteDatabase,
    private readonly readers: SqliteReaders | null,
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new WaitingWriterDriver(super.createDriver(), this.sqlite, this.database, this.readers);
  }
}
