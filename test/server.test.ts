import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connection.js';
import { testDatabases } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe.each(testDatabases())('server on $dialect', ({ create }) => {
  let db: Db;
  let server: TestServer;
  beforeAll(async () => {
    db = await create();
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('answers the health check and serves the stylesheet', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    const css = await fetch(`${server.url}/static/style.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});
