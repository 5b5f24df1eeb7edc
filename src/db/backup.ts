import { existsSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { parseDatabaseUrl } from './connection.js';

const ALL_REMAINING_PAGES = 2 ** 30;

/** The SQLite file a DATABASE_URL names, to back up or restore; PostgreSQL is backed up with its own tools. */
export function sqliteFileOf(databaseUrl: string): string {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.dialect === 'postgres') {
    throw new Error(
      'DATABASE_URL is PostgreSQL: use pg_dump -Fc "$DATABASE_URL" -f FILE and pg_restore -d "$DATABASE_URL" FILE (see README, Operations and clusters)',
    );
  }
  if (target.path === ':memory:') throw new Error('DATABASE_URL is an in-memory database: there is nothing to back up');
  return target.path;
}

/**
 * Copies a live SQLite database into `file` through SQLite's online backup API: servers and imports
 * keep writing meanwhile, and the copy is one consistent
 * snapshot, WAL included. It is written beside `file` and renamed at the end, so an interrupted
 * backup never leaves a truncated file under that name. Resolves with the size in pages.
 */
export async function backupSqlite(databasePath: string, file: string): Promise<number> {
  if (existsSync(file)) throw new Error(`${file} already exists; choose a new file name`);
  const source = new SQLite(databasePath, { fileMustExist: true });
  const partial = `${file}.partial`;
  try {
    // After a first step, the rest in one: a write by another process between steps would restart the copy, so
    // under steady writes (votes) a stepwise copy might never finish. One read transaction blocks no writer in WAL.
    const { totalPages } = await source.backup(partial, { progress: () => ALL_REMAINING_PAGES });
    renameSync(partial, file);
    return totalPages;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.close();
  }
}

/**
 * Replaces the database at `databasePath` with a backup, again through the backup API (so the
 * database's own WAL and locks are honoured), after checking that the backup is a whole dailypapers
 * database. Refuses to replace one that holds papers unless `force`.
 */
export async function restoreSqlite(file: string, databasePath: string, force = false): Promise<number> {
  const backup = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const check = backup.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file} is damaged (quick_check: ${String(check)})`);
    const hasSchema = backup
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    if (!hasSchema) throw new Error(`${file} is not a dailypapers database (no schema_migrations table)`);
    if (!force && existsSync(databasePath) && holdsPapers(databasePath)) {
      throw new Error(
        `${databasePath} already holds papers; stop every process using it and pass --force to replace it`,
      );
    }
    const { totalPages } = await backup.backup(databasePath);
    return totalPages;
  } catch (error) {
    if (error instanceof SQLite.SqliteError && error.code === 'SQLITE_NOTADB') {
      throw new Error(`${file} is not an SQLite database`);
    }
    throw error;
  } finally {
    backup.close();
  }
}

function holdsPapers(databasePath: string): boolean {
  const target = new SQLite(databasePath, { readonly: true });
  try {
    const table = target.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'papers'").get();
    return table !== undefined && target.prepare('SELECT 1 FROM papers LIMIT 1').get() !== undefined;
  } finally {
    target.close();
  }
}
