import type { Logger } from 'pino';
import { renderMissingCommentHtml } from '../community/comment.js';
import { ConfigError, configWarnings, loadConfig, type Config } from '../config/index.js';
import { openDatabase, type Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { migrate, schemaStatus } from '../db/migrations/index.js';
import { createLogger } from '../logger.js';
import { withStoredSecretKey } from '../store/settings.js';

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
  const db = await openDatabase(config.DATABASE_URL, {
    onConnectionLost: warnOfLostConnections(logger),
    statementTimeoutMs: config.JOB_STATEMENT_TIMEOUT_MS,
  });
  // A database not yet migrated has no settings table; commands that need the key check the schema first.
  if ((await schemaStatus(db)).pending.length === 0) config = await withStoredSecretKey(db, config);
  return { config, db, logger };
}

function warnOfLostConnections(logger: Logger): (error: Error) => void {
  return (error) => logger.warn({ err: error }, 'lost a database connection; the next query reconnects');
}

/**
 * The database web requests use: on PostgreSQL a pool of its own whose statements time out after
 * STATEMENT_TIMEOUT_MS (background work keeps the longer limit); SQLite's one connection is shared.
 */
export async function openWebDatabase(ctx: CliContext): Promise<Db> {
  const { STATEMENT_TIMEOUT_MS, JOB_STATEMENT_TIMEOUT_MS } = ctx.config;
  if (!dialectOf(ctx.db).concurrentWriters || STATEMENT_TIMEOUT_MS === JOB_STATEMENT_TIMEOUT_MS) return ctx.db;
  return openDatabase(ctx.config.DATABASE_URL, {
    onConnectionLost: warnOfLostConnections(ctx.logger),
    statementTimeoutMs: STATEMENT_TIMEOUT_MS,
  });
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

/**
 * Readies the schema for a command. A new database (no migration applied yet: nothing in it to
 * lose) is simply migrated. A schema that is behind the code with content in it is refused, saying
 * what to run: upgrading a live database is the operator's step (a backup first, every process on
 * the new version), taken with `dailypapers migrate`.
 */
export async function readySchema(ctx: CliContext): Promise<void> {
  const { db, logger } = ctx;
  const status = await schemaStatus(db);
  if (status.current === 0) {
    await migrate(db);
    const database = `${db.dialect}: ${db.location}`;
    logger.info({ database }, `set up a new database (schema version ${status.latest})`);
  } else if (status.pending.length > 0) {
    throw new Error(`the database schema is at version ${status.current} of ${status.latest} (${db.dialect}: ${db.location}); run \`dailypapers migrate\` first`);
  }
  // A database migrated just now had no settings table when the context opened: the key is read here.
  ctx.config = await withStoredSecretKey(db, ctx.config);
}

/** Stores the rendered HTML of comments from before migration 082 (a no-op once done). */
export async function renderCommentsMissingHtml({ db, logger }: CliContext): Promise<void> {
  const rendered = await renderMissingCommentHtml(db);
  if (rendered > 0) logger.info({ comments: rendered }, `rendered and stored the HTML of ${rendered} comments`);
}
