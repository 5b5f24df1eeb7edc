import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAppContext } from '../src/app/context.js';
import { loadConfig } from '../src/config/index.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrations/index.js';
import { createLogger } from '../src/logger.js';
import { useEveryService } from './helpers/context.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp.js';

/** The threads of this process (Linux): the vector index runs on one of its own. */
const threadCount = () => readdirSync('/proc/self/task').length;

const lifecycleScript = fileURLToPath(new URL('./fixtures/context-lifecycle.ts', import.meta.url));

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the app context', () => {
  let dir: string;
  let sink: SmtpSink;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-context-'));
    sink = await startSmtpSink();
    env = { DATABASE_URL: join(dir, 'papers.db'), SMTP_URL: sink.url, LOG_LEVEL: 'silent' };
  });
  afterEach(async () => {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('closes every service it built: the mail pool, the vector index thread, the counters (flushed first) and the database', async () => {
    const ctx = await openAppContext(loadConfig(env), createLogger('silent'), { serving: true });
    await migrate(ctx.db);
    await useEveryService(ctx);
    await sink.waitForCount(1);
    expect(sink.connections()).toBeGreaterThan(0);
    const threadsOpen = threadCount();

    await ctx.close();
    await until(() => sink.connections() === 0, 'the pooled SMTP connection to close');
    await until(() => threadCount() < threadsOpen, 'the vector index thread to end');
    await expect(ctx.db.kysely.selectFrom('papers').select('id').execute()).rejects.toThrow();
    const reopened = await openDatabase(env.DATABASE_URL!);
    try {
      const hits = await reopened.kysely.selectFrom('rate_limit_hits').select(['bucket', 'hits']).execute();
      // Both hits of each bucket (IP and account) reached the database, the second one by the flush at close.
      expect(hits.map((h) => h.hits)).toEqual([2, 2]);
    } finally {
      await reopened.close();
    }
  });

  it('leaves nothing running once closed: a process that used every service exits on its own', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', lifecycleScript], {
      env: { PATH: process.env.PATH, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: 'closed\n', stderr: '' });
  });
});
