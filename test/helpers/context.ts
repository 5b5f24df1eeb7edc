import { appContextAround, type AppContext } from '../../src/app/context.js';
import { sendLoginLink } from '../../src/community/mail.js';
import { enforceRateLimit } from '../../src/community/rate-limit.js';
import { loadConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { createLogger } from '../../src/logger.js';
import { embedPendingPapers } from '../../src/search/embed-job.js';
import { upsertPapers } from '../../src/store/papers.js';
import { topicPapers } from '../factories/topics.js';

/**
 * An app context around a database the test owns (its close() leaves the database open), with a
 * test server's settings: no logs, no scheduler, every page rendered afresh, unless `env` says otherwise.
 */
export function testContext(db: Db, env: Record<string, string> = {}): AppContext {
  const config = loadConfig({ LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false', PAGE_CACHE_MS: '0', ...env });
  return appContextAround({ db, config, logger: createLogger(config.LOG_LEVEL) });
}

/**
 * Starts every service of a context that holds something open: a pooled SMTP connection (a login
 * link), a rate-limit hit waiting for its flush, the embedder and the vector index (its thread).
 */
export async function useEveryService(ctx: AppContext): Promise<void> {
  await upsertPapers(ctx.db, topicPapers());
  await embedPendingPapers(ctx);
  await ctx.vectorIndexes.active(ctx.db);
  await sendLoginLink(ctx, 'reader@example.org', `${ctx.config.BASE_URL}/login/link`);
  // The first hit of a window is written at once; the second waits for the next flush.
  for (let i = 0; i < 2; i++) await enforceRateLimit(ctx, 'vote', { account: 'reader', ip: '192.0.2.1' });
}
