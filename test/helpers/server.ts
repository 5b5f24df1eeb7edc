import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { createLogger } from '../../src/logger.js';
import { buildApp, type AppContext } from '../../src/web/app.js';

export interface TestServer {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  app: FastifyInstance;
  ctx: AppContext;
  close(): Promise<void>;
}

/** Starts the real app on a loopback port over the given database. */
export async function startTestServer(db: Db, env: Record<string, string> = {}): Promise<TestServer> {
  const config: Config = loadConfig({ LOG_LEVEL: 'silent', SCHEDULER_ENABLED: 'false', ...env });
  const ctx: AppContext = { db, config, logger: createLogger(config.LOG_LEVEL) };
  const app = await buildApp(ctx);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  ctx.config = { ...config, BASE_URL: env.BASE_URL ?? address };
  return { url: address, app, ctx, close: () => app.close() };
}
