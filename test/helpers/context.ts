import { appContextAround, type AppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { createLogger } from '../../src/logger.js';

/**
 * An app context around a database the test owns (its close() leaves the database open), with a
 * test server's settings: no logs, no scheduler, every page rendered afresh, unless `env` says otherwise.
 */
export function testContext(db: Db, env: Record<string, string> = {}): AppContext {
  const config = loadConfig({ LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false', PAGE_CACHE_MS: '0', ...env });
  return appContextAround({ db, config, logger: createLogger(config.LOG_LEVEL) });
}
