import type { Command } from 'commander';
import { backupSqlite, restoreSqlite } from '../db/backup.js';
import { parseDatabaseUrl } from '../db/connection.js';
import { loadCliConfig } from './context.js';

/** The SQLite file DATABASE_URL names; PostgreSQL is backed up with its own tools. */
function sqlitePath(): string {
  const target = parseDatabaseUrl(loadCliConfig().DATABASE_URL);
  if (target.dialect === 'postgres') {
    throw new Error(
      'DATABASE_URL is PostgreSQL: use pg_dump -Fc "$DATABASE_URL" -f FILE and pg_restore -d "$DATABASE_URL" FILE (see README, Operations and clusters)',
    );
  }
  if (target.path === ':memory:') throw new Error('DATABASE_URL is an in-memory database: there is nothing to back up');
  return target.path;
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the SQLite database into FILE, consistently, while servers keep running')
    .argument('<file>', 'the backup to write (must not exist yet)')
    .action(async (file: string) => {
      const pages = await backupSqlite(sqlitePath(), file);
      console.log(`backed up ${pages} pages to ${file}`);
    });
  program
    .command('restore')
    .description('replace the SQLite database with a backup (stop every process using the database first)')
    .argument('<file>', 'a backup written by `dailypapers backup`')
    .option('--force', 'replace a database that already holds papers')
    .action(async (file: string, options: { force?: boolean }) => {
      const path = sqlitePath();
      const pages = await restoreSqlite(file, path, options.force ?? false);
      console.log(`restored ${pages} pages from ${file} into ${path}`);
    });
}
