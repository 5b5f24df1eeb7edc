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

  it('sends /favicon.ico on to the SVG icon, which is served', async () => {
    const icon = await fetch(`${server.url}/favicon.ico`, { redirect: 'manual' });
    expect(icon.status).toBe(301);
    expect(icon.headers.get('location')).toBe('/static/favicon.svg');
    const followed = await fetch(`${server.url}/favicon.ico`);
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toContain('image/svg+xml');
  });
});
