import { Command } from 'commander';
import { registerBackup } from './backup.js';
import { registerImport } from './import.js';
import { registerDigest } from './digest.js';
import { registerEmbed } from './embed.js';
import { registerEnrich } from './enrich.js';
import { registerIngest } from './ingest.js';
import { registerMigrate } from './migrate.js';
import { registerSearch } from './search.js';
import { registerServe } from './serve.js';
import { registerUser } from './user.js';

const program = new Command()
  .name('dailypapers')
  .description('A self-hostable, community-curated daily research-paper feed')
  .showHelpAfterError();

registerServe(program);
registerMigrate(program);
registerUser(program);
registerImport(program);
registerDigest(program);
registerIngest(program);
registerSearch(program);
registerEmbed(program);
registerBackup(program);
registerEnrich(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`dailypapers: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
