import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import type { Db } from '../../src/db/connection.js';
import { buildApp } from '../../src/app/server.js';
import { testContext } from './context.js';
import type { TestDatabase } from './db.js';

export interface TestServer {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  app: FastifyInstance;
  ctx: AppContext;
  close(): Promise<void>;
}

/**
 * Starts the real app on a loopback port over the given database. Pages are rendered afresh on
 * every request (PAGE_CACHE_MS=0) unless `env` says otherwise, so tests see their writes at once.
 */
export async function startTestServer(db: Db, env: Record<string, string> = {}): Promise<TestServer> {
  const ctx = testContext(db, env);
  const app = await buildApp(ctx);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  ctx.config = { ...ctx.config, BASE_URL: env.BASE_URL ?? address };
  const close = async () => {
    await app.close();
    await ctx.close();
  };
  return { url: address, app, ctx, close };
}

/**
 * A fresh database and the real app over loopback for the enclosing suite; `seed` runs before
 * the tests, with the server's context (whose services, such as the vector index, the server uses).
 * Read `db` and `server` inside tests (they are set in beforeAll).
 */
export function serveFreshDatabase(
  create: TestDatabase['create'],
  seed: (db: Db, ctx: AppContext) => Promise<void> = async () => {},
  env: Record<string, string> = {},
) {
  const context = {} as { db: Db; server: TestServer };
  beforeAll(async () => {
    context.db = await create();
    context.server = await startTestServer(context.db, env);
    await seed(context.db, context.server.ctx);
  });
  afterAll(async () => {
    await context.server?.close();
    await context.db?.close();
  });
  return context;
}
