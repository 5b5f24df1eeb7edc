import { setTimeout as sleep } from 'node:timers/promises';
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type SqliteDatabase,
} from 'kysely';

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
 * original error reaches the caller.
 */
class WaitingWriterDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly sqlite: SQLite.Database,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    return {
      executeQuery: (query) =>
        this.sqlite.inTransaction ? connection.executeQuery(query) : retryWhileBusy(() => connection.executeQuery(query)),
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
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

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** Kysely's SQLite dialect over `database`, with writers that wait their turn (see WaitingWriterDriver). */
export class WaitingWriterSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SQLite.Database,
    database: SqliteDatabase,
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new WaitingWriterDriver(super.createDriver(), this.sqlite);
  }
}
