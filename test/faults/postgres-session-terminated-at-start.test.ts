import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { databaseUrl, freshPostgres } from '../helpers/db.js';

const adminUrl = process.env.TEST_DATABASE_URL;

/**
 * A proxy on loopback in front of the real server that holds back the server's "ready for query" of each new
 * session, terminates that backend (pg_terminate_backend, by the process id the server announced), and
 * passes "ready" and the server's "terminating connection" error on in one write: what a client sees when
 * its backend is terminated as it starts (a failover, an operator clearing connections) and both arrive in
 * one read.
 */
function terminatingProxy(target: URL, admin: pg.Client): Server {
  return createServer((client: Socket) => {
    const server = connect(Number(target.port || 5432), target.hostname);
    client.pipe(server);
    let starting = true;
    let held = Buffer.alloc(0);
    server.on('data', async (chunk: Buffer) => {
      if (!starting) return void client.write(chunk);
      held = Buffer.concat([held, chunk]);
      // Startup messages: a type byte, then a 32-bit length that counts itself. BackendKeyData ('K') carries the pid.
      let pid = 0;
      let ready = false;
      for (let at = 0; at + 5 <= held.length; at += 1 + held.readInt32BE(at + 1)) {
        if (held[at] === 0x4b) pid = held.readInt32BE(at + 5);
        if (held[at] === 0x5a) ready = true;
      }
      if (!ready) return;
      starting = false;
      server.pause();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      const rest: Buffer[] = [];
      server.removeAllListeners('data');
      server.on('data', (more: Buffer) => rest.push(more));
      server.once('close', () => client.end(Buffer.concat([held, ...rest])));
      server.resume();
    });
    server.on('error', () => client.destroy());
    client.on('error', () => server.destroy());
  });
}

describe('a PostgreSQL session whose backend is terminated as it starts', () => {
  let db: Db;
  let proxied: Db;
  let admin: pg.Client;
  let proxy: Server;

  beforeAll(async () => {
    if (!adminUrl) throw new Error('This fault needs a PostgreSQL server: set TEST_DATABASE_URL (.ci/run does).');
    db = await freshPostgres(adminUrl);
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const target = new URL(databaseUrl(db));
    proxy = terminatingProxy(target, admin);
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const address = proxy.address() as { port: number };
    const viaProxy = new URL(target);
    viaProxy.host = `127.0.0.1:${address.port}`;
    proxied = await openDatabase(viaProxy.toString(), { poolSize: 1 });
  });
  afterAll(async () => {
    await proxied?.close();
    proxy?.close();
    await admin?.end();
    await db?.close();
  });

  it('does not end the process: the session is handed over dead, and its first query fails', async () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const session = await proxied.openSession!();
      await expect(session.query('SELECT 1')).rejects.toThrow();
      await session.end().catch(() => {});
      // The error event came in the same read as "ready"; give any stray one a turn to surface.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
  });
});
