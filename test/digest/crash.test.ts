import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { digestKey, messageIdFor } from '../../src/digest/message.js';
import { planDigests } from '../../src/digest/plan.js';
import { IN_FLIGHT_PER_CONNECTION } from '../../src/digest/send.js';
import { countOutbox } from '../../src/store/outbox.js';
import { databaseUrl, testDatabases } from '../helpers/db.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { activeSubscriber, digestConfig, featurePapers } from './fixtures.js';

const SUBSCRIBERS = 120;
const CONNECTIONS = 5;
const DAY = '2026-11-27';

/** Runs `dailypapers digest send` in its own process, as an operator or cron would. */
function startSender(env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/dailypapers.js', 'digest', 'send', '--lease-seconds', '2'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

describe.each(testDatabases())('a sender killed mid-batch on $dialect', ({ create }) => {
  let db: Db;
  let sink: SmtpSink;

  beforeEach(async () => {
    db = await create();
    // A slow server: each message waits 100 ms for its "250 OK", so the kill lands mid-batch.
    sink = await startSmtpSink({ acceptDelayMs: 100 });
  });
  afterEach(async () => {
    await sink.close();
    await db.close();
  });

  it('after SIGKILL and a restart, every subscriber has exactly one digest', async () => {
    const config = digestConfig({ SMTP_URL: sink.url, SMTP_MAX_CONNECTIONS: String(CONNECTIONS) });
    await featurePapers(db, DAY, [{ title: 'The paper everyone gets', upvotes: 3 }]);
    const ids: string[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) ids.push(await activeSubscriber(db, `reader${i}@example.org`));
    await planDigests(db, config, 'daily', DAY);

    const env = {
      DATABASE_URL: databaseUrl(db),
      SMTP_URL: sink.url,
      SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
      MAIL_FROM: config.MAIL_FROM,
      BASE_URL: config.BASE_URL,
      SECRET_KEY: config.SECRET_KEY,
    };
    const first = startSender(env);
    await sink.waitForCount(25, 90_000);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const afterKill = await countOutbox(db);
    expect(sink.count()).toBeLessThan(SUBSCRIBERS);
    expect(afterKill.pending).toBeGreaterThan(0);

    // The dead sender's leases run out; a new sender takes over its rows.
    const leased = await db.kysely
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('locked_until').as('until'))
      .executeTakeFirstOrThrow();
    if (leased.until) await sleep(Math.max(0, Date.parse(String(leased.until)) - Date.now() + 50));
    const second = startSender(env);
    const { code, output } = await second.exited;
    expect(code, output).toBe(0);
    expect(output).toMatch(/^sent \d+, retrying later 0, failed 0, cancelled 0/);

    expect(await countOutbox(db)).toEqual({ pending: 0, sent: SUBSCRIBERS, failed: 0, cancelled: 0 });
    for (const [i, id] of ids.entries()) {
      const copies = sink.to(`reader${i}@example.org`);
      // Receivers drop a resent copy by its Message-ID: each subscriber has exactly one digest.
      expect(new Set(copies.map((m) => m.messageId))).toEqual(
        new Set([messageIdFor(digestKey('daily', DAY, id), config.MAIL_FROM)]),
      );
    }
    // Only messages in flight when the sender died (the server had them, the sender had not yet recorded
    // it) are sent twice: never more than the sender's window.
    expect(sink.received.length - SUBSCRIBERS).toBeLessThanOrEqual(CONNECTIONS * IN_FLIGHT_PER_CONNECTION);
  }, 180_000);
});
