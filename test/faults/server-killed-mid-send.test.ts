import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { digestKey, messageIdFor } from '../../src/digest/message.js';
import { planDigests } from '../../src/digest/plan.js';
import { IN_FLIGHT_PER_CONNECTION } from '../../src/digest/send.js';
import { enqueueJob } from '../../src/store/jobs.js';
import { countOutbox } from '../../src/store/outbox.js';
import { activeSubscriber, digestConfig, featurePapers } from '../digest/fixtures.js';
import { databaseUrl, testDatabases } from '../helpers/db.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const SUBSCRIBERS = 60;
const CONNECTIONS = 3;
const DAY = '2026-11-27';

/**
 * The server's worker is sending digests when the server is SIGKILLed. After a restart, every
 * subscriber has exactly one digest: none lost, none sent twice beyond what was in flight (and
 * those carry the same Message-ID, which receivers drop). test/digest/crash.test.ts does the same
 * for the `digest send` command.
 */
describe.each(testDatabases())('a server killed while its worker sends digests on $dialect', ({ create }) => {
  let db: Db;
  let sink: SmtpSink;
  let server: ServeProcess | undefined;

  beforeEach(async () => {
    db = await create();
    // Each message waits 100 ms for its "250 OK", so the kill lands mid-outbox.
    sink = await startSmtpSink({ acceptDelayMs: 100 });
  });
  afterEach(async () => {
    await server?.stop();
    await sink.close();
    await db.close();
  });

  it('sends every digest exactly once after SIGKILL and a restart', async () => {
    const config = digestConfig({ SMTP_URL: sink.url, SMTP_MAX_CONNECTIONS: String(CONNECTIONS) });
    await featurePapers(db, DAY, [{ title: 'The paper everyone gets', upvotes: 3 }]);
    const ids: string[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) ids.push(await activeSubscriber(db, `reader${i}@example.org`));
    await planDigests(db, config, 'daily', DAY);
    await enqueueJob(db, 'digest.send', {});
    const env = {
      DATABASE_URL: databaseUrl(db),
      SERVICES: 'web,worker',
      SMTP_URL: sink.url,
      SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
      MAIL_FROM: config.MAIL_FROM,
      SECRET_KEY: config.SECRET_KEY,
    };

    server = await startServeProcess(env);
    await sink.waitForCount(15, 60_000);
    server.child.kill('SIGKILL');
    await server.stop();
    expect(server.exit()?.signal).toBe('SIGKILL');
    expect((await countOutbox(db)).pending).toBeGreaterThan(0);

    // Minutes pass: the dead server's job and outbox leases run out (set here rather than waited for).
    const past = new Date(Date.now() - 1000).toISOString();
    await db.kysely.updateTable('outbox').set({ locked_until: past }).where('locked_until', 'is not', null).execute();
    await db.kysely.updateTable('jobs').set({ locked_until: past }).where('locked_until', 'is not', null).execute();

    server = await startServeProcess(env);
    for (let i = 0; (await countOutbox(db)).pending > 0; i++) {
      if (i > 600) throw new Error(`the restarted server did not drain the outbox\n${server.output()}`);
      await sleep(100);
    }
    expect(await countOutbox(db)).toEqual({ pending: 0, sent: SUBSCRIBERS, failed: 0, cancelled: 0 });
    for (const [i, id] of ids.entries()) {
      const copies = sink.to(`reader${i}@example.org`);
      expect(new Set(copies.map((m) => m.messageId))).toEqual(
        new Set([messageIdFor(digestKey('daily', DAY, id), config.MAIL_FROM)]),
      );
    }
    expect(sink.received.length - SUBSCRIBERS).toBeLessThanOrEqual(CONNECTIONS * IN_FLIGHT_PER_CONNECTION);
  }, 120_000);
});
