/** Benchmark servers in processes of their own, so the load generator and the server never share a thread. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { appContextAround } from '../../src/app/context.js';
import { buildApp } from '../../src/app/server.js';
import { loadConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { createLogger } from '../../src/logger.js';

/** Load generators ask from one address: the per-IP limits for visitors would answer most of them 429. */
export const UNLIMITED_VISITORS = { SEARCH_LIMIT_PER_IP: '1000000000/1m', API_LIMIT_PER_IP: '1000000000/1m' };

/** In the child: serves `db` with default settings bar `env` and the visitor limits, prints its URL, stops on SIGTERM. */
export async function serveAndPrintUrl(db: Db, env: Record<string, string>): Promise<void> {
  const config = loadConfig({ SCHEDULER_ENABLED: 'false', ...UNLIMITED_VISITORS, ...env });
  const ctx = appContextAround({ db, config, logger: createLogger(config.LOG_LEVEL) });
  const app = await buildApp(ctx);
  process.stdout.write(`${await app.listen({ port: 0, host: '127.0.0.1' })}\n`);
  process.once('SIGTERM', async () => {
    await app.close();
    await ctx.close();
    await db.close();
  });
}

/** Starts the benchmark `script` (its import.meta.url) in child mode, `serve ...args`; resolves with the URL it prints. */
export async function startChildServer(script: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(script), 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('close', (code) => reject(new Error(`server (${args.join(' ')}) exited with ${code}`)));
  });
  return { url, child };
}
