import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getSubscriberByEmail } from '../../src/store/subscriptions.js';
import { testDatabases } from '../helpers/db.js';
import { captureLogs } from '../helpers/logs.js';
import { serveFreshDatabase } from '../helpers/server.js';

describe.each(testDatabases())('subscribing without SMTP_URL on $dialect', ({ create }) => {
  const ctx = serveFreshDatabase(create);

  it('writes the confirmation and manage links to the log, where they work', async () => {
    const logs = captureLogs();
    ctx.server.ctx.logger = logs.logger;
    const form = (path: string, fields: Record<string, string>) =>
      fetch(`${ctx.server.url}${path}`, { method: 'POST', body: new URLSearchParams(fields) });
    const linkLogged = (message: string) =>
      logs.entries.find((e) => e.msg === message) as { to: string; link: string } | undefined;

    expect((await form('/subscribe', { email: 'dev@example.org', frequency: 'daily', top: 'on' })).status).toBe(200);
    const confirm = linkLogged('subscription confirm link (SMTP_URL is not set, so it was not mailed)')!;
    expect(confirm.to).toBe('dev@example.org');
    expect(await (await fetch(confirm.link, { method: 'POST' })).text()).toContain('You are subscribed');
    expect((await getSubscriberByEmail(ctx.db, 'dev@example.org'))!.status).toBe('active');

    // Account mail to one address is spaced out by minutes; this one asks for its manage link later.
    await sql`UPDATE subscribers SET account_mail_at = NULL`.execute(ctx.db.kysely);
    expect((await form('/subscriptions/link', { email: 'dev@example.org' })).status).toBe(200);
    const manage = linkLogged('subscription manage link (SMTP_URL is not set, so it was not mailed)')!;
    expect(manage.to).toBe('dev@example.org');
    expect(await (await fetch(manage.link)).text()).toContain('Unsubscribe');
  });
});
