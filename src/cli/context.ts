import type { Logger } from 'pino';
import { ConfigError, configWarnings, loadConfig, type Config } from '../config/index.js';
import { openDatabase, type Db } from '../db/connection.js';
import { schemaStatus } from '../db/migrations/index.js';
import { createLogger } from '../logger.js';

export interface CliContext {
  config: Config;
  db: Db;
  logger: Logger;
}

/** Loads config and opens the database for a command; a bad config prints every problem and exits 2. */
export async function openCliContext(): Promise<CliContext> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  for (const warning of configWarnings()) logger.warn(warning);
  const onConnectionLost = (error: Error) => logger.warn({ err: error }, 'lost a database connection; the next query reconnects');
  const db = await openDatabase(config.DATABASE_URL, { onConnectionLost });
  return { config, db, logger };
}

/** Runs a command body with a context and always closes the database. */
export async function withCliContext<T>(body: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = await openCliContext();
  try {
    return await body(ctx);
  } finally {
    await ctx.db.close();
  }
}

/** Stops a command on a database whose schema is behind the code, saying what to run. */
export async function assertSchemaCurrent(db: Db): Promise<void> {
  const status = await schemaStatus(db);
  if (status.pending.length > 0) {
    throw new Error(`the database schema is at version ${status.current} of ${status.latest} (${db.dialect}: ${db.location}); run \`dailypapers migrate\` first`);
  }
}
