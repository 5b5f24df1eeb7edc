import type { Command } from 'commander';
import { backupSqlite, restoreSqlite, sqliteFileOf } from '../db/backup.js';
import { loadCliConfig } from './context.js';

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the SQLite database into FILE, consistently, while servers keep running')
    .argument('<file>', 'the backup to write (must not exist yet)')
    .action(async (file: string) => {
      const pages = await backupSqlite(sqliteFileOf(loadCliConfig().DATABASE_URL), file);
      console.log(`backed up ${pages} pages to ${file}`);
    });
  program
    .command('restore')
    .description('replace the SQLite database with a backup (stop every process using the database first)')
    .argument('<file>', 'a backup written by `dailypapers backup`')
    .option('--force', 'replace a database that already holds papers')
    .action(async (file: string, options: { force?: boolean }) => {
      const path = sqliteFileOf(loadCliConfig().DATABASE_URL);
      const pages = await restoreSqlite(file, path, options.force ?? false);
      console.log(`restored ${pages} pages from ${file} into ${path}`);
    });
}
