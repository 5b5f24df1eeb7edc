import { openAppContext, type AppContext, type OpenOptions } from '../app/context.js';
import { renderMissingCommentHtml } from '../community/comment.js';
import { ConfigError, configWarnings, loadConfig, type Config } from '../config/index.js';
import { migrate, schemaStatus } from '../db/migrations/index.js';
import { createLogger } from '../logger.js';
import { withStoredSecretKey } from '../store/settings.js';

/** Loads the configuration for a command; a bad one prints every problem and exits 2. */
export function loadCliConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Loads config and opens the app context for a command. */
export async function openCliContext(options: OpenOptions = {}): Promise<AppContext> {
  const config = loadCliConfig();
  const logger = createLogger(config.LOG_LEVEL);
  for (const warning of configWarnings()) logger.warn(warning);
  return openAppContext(config, logger, options);
}

/** Runs a command body with a context and always closes it. */
export async function withCliContext<T>(body: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openCliContext();
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}

/**
 * Readies the schema for a command. A new database (no migration applied yet: nothing in it to
 * lose) is simply migrated. A schema that is behind the code with content in it is refused, saying
 * what to run: upgrading a live database is the operator's step (a backup first, every process on
 * the new version), taken with `dailypapers migrate`.
 */
export async function readySchema(ctx: AppContext): Promise<void> {
  const { db, logger } = ctx;
  const status = await schemaStatus(db);
  if (status.current === 0) {
    await migrate(db);
    const database = `${db.dialect}: ${db.location}`;
    logger.info({ database }, `set up a new database (schema version ${status.latest})`);
  } else if (status.pending.length > 0) {
    throw new Error(
      `the database schema is at version ${status.current} of ${status.latest} (${db.dialect}: ${db.location}); run \`dailypapers migrate\` first`,
    );
  }
  // A database migrated just now had no settings table when the context opened: the key is read here.
  ctx.config = await withStoredSecretKey(db, ctx.config);
}

/** Stores the rendered HTML of comments from before migration 082 (a no-op once done). */
export async function renderCommentsMissingHtml({ db, logger }: AppContext): Promise<void> {
  const rendered = await renderMissingCommentHtml(db);
  if (rendered > 0) logger.info({ comments: rendered }, `rendered and stored the HTML of ${rendered} comments`);
}
