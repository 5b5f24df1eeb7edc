import { describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/db.js';
import { getPage, visibleText } from '../helpers/pages.js';
import { serveFreshDatabase, startTestServer } from '../helpers/server.js';

describe.each(testDatabases())('error pages on $dialect', ({ create }) => {
  const web = serveFreshDatabase(create);

  it('answers an unknown address with an HTML 404 page that leads home', async () => {
    const page = await getPage(`${web.server.url}/no/such/page?x=<script>`);
    expect(page.status).toBe(404);
    expect(page.contentType).toContain('text/html');
    expect(visibleText(page.html)).toContain('Page not found');
    expect(visibleText(page.html)).toContain('Nothing lives at /no/such/page.');
    expect(page.html).toContain('href="/"');
  });

  it('answers unknown API addresses in JSON', async () => {
    const response = await fetch(`${web.server.url}/api/no-such-route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toHaveProperty('error');
  });

  it('tells JSON clients from browsers by one rule, wherever the URL lives', async () => {
    const asked = await fetch(`${web.server.url}/no/such/page`, { headers: { accept: 'application/json' } });
    expect(asked.status).toBe(404);
    expect(asked.headers.get('content-type')).toContain('application/json');
    expect(await asked.json()).toEqual({ error: 'Nothing lives at /no/such/page.' });
    const browser = await fetch(`${web.server.url}/no/such/page`, {
      headers: { accept: 'text/html,application/json;q=0.9' },
    });
    expect(browser.headers.get('content-type')).toContain('text/html');
    const markdown = await fetch(`${web.server.url}/papers/2301.99999.md`, { headers: { accept: 'text/html' } });
    expect([markdown.status, await markdown.json()]).toEqual([404, { error: 'no paper with id 2301.99999' }]);
  });

  it('serves only KaTeX’s stylesheet and fonts from its package', async () => {
    const css = await fetch(`${web.server.url}/static/katex/katex.min.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    const font = await fetch(`${web.server.url}/static/katex/fonts/KaTeX_Main-Regular.woff2`);
    expect(font.status).toBe(200);
    expect((await font.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    expect((await fetch(`${web.server.url}/static/katex/katex.js`)).status).toBe(404);
    expect((await fetch(`${web.server.url}/static/katex/../../package.json`)).status).toBe(404);
  });
});

describe.each(testDatabases())('a server fault on $dialect', ({ create }) => {
  it('shows a generic 500 page when the database is gone, never the error or a stack', async () => {
    const db = await create();
    const server = await startTestServer(db);
    try {
      await db.close();
      const page = await getPage(`${server.url}/papers/date/2026-11-27`);
      expect(page.status).toBe(500);
      expect(page.contentType).toContain('text/html');
      expect(visibleText(page.html)).toContain('Something went wrong');
      expect(page.html).not.toMatch(/destroyed|kysely|sqlite|postgres/i);
      expect(page.html).not.toMatch(/at .*:\d+:\d+/);
    } finally {
      await server.close();
    }
  });
});
