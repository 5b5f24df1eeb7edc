import type { Command } from 'commander';
import { migrate, schemaStatus } from '../db/migrations/index.js';
import { renderCommentsMissingHtml, withCliContext } from './context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .option('--status', 'only print the schema version and pending migrations')
    .action(async (options: { status?: boolean }) => {
      await withCliContext(async (ctx) => {
        const { db } = ctx;
        if (options.status) {
          const status = await schemaStatus(db);
          console.log(`schema version ${status.current} of ${status.latest} (${db.dialect}: ${db.location})`);
          for (const m of status.pending) console.log(`pending: ${m.version} ${m.name}`);
          return;
        }
        const applied = await migrate(db);
        for (const m of applied) console.log(`applied ${m.version} ${m.name}`);
        await renderCommentsMissingHtml(ctx);
        const status = await schemaStatus(db);
        console.log(`schema is at version ${status.current} (${db.dialect}: ${db.location})`);
      });
    });
}
