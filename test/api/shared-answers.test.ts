import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { paperRow, serveCommunity, signedUp, storedPaper } from '../community/fixtures.js';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import { testDatabases } from '../helpers/db.js';

/** A GET with exactly these headers, the body as the bytes on the wire (fetch would decompress them). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

const upvotesOf = (list: Array<{ paper: { id: string; upvotes: number } }>, id: string) =>
  list.find((item) => item.paper.id === id)?.paper.upvotes;

describe.each(testDatabases())('shared answers of the public API on $dialect', ({ create }) => {
  const ctx = serveCommunity(create, { PAGE_CACHE_MS: '60000' });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(ctx.server.url + path, { headers });

  it('answers a request, however its parameters are spelled, from one render, with an ETag that a conditional request matches', async () => {
    const paper = await storedPaper(ctx.db);
    const first = await get('/api/daily_papers');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(upvotesOf(await first.json(), paper.id)).toBe(0);

    // A change the server did not make itself (an import in another process) shows once the entry expires.
    await ctx.db.kysely.updateTable('papers').set({ upvotes: 7 }).where('id', '=', paper.id).execute();
    const again = await get('/api/daily_papers?limit=050&p=0');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=60');
    expect(upvotesOf(await again.json(), paper.id)).toBe(0);

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const notModified = await get('/api/daily_papers', { 'if-none-match': ifNoneMatch });
      expect(notModified.status, ifNoneMatch).toBe(304);
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(await notModified.text()).toBe('');
    }
    expect((await get('/api/daily_papers', { 'if-none-match': '"other"' })).status).toBe(200);
    // Another query is another answer; a bad one is still refused.
    expect((await get('/api/daily_papers?limit=1')).headers.get('etag')).not.toBe(etag);
    expect((await get('/api/daily_papers?limit=0')).status).toBe(400);
  });

  it('a vote through this server shows on the very next read, anonymous or not, with a new ETag', async () => {
    const paper = await storedPaper(ctx.db);
    // A query not asked before, so the first read renders with this paper in it.
    const list = '/api/daily_papers?limit=40';
    const before = await get(list);
    expect(upvotesOf(await before.json(), paper.id)).toBe((await paperRow(ctx.db, paper.id)).upvotes);
    const ada = await signedUp(ctx.db, ctx.server.url);
    expect((await ada.post('/vote', { paper: paper.id, direction: 'up', return_to: '/' })).status).toBe(303);

    const after = await get(list);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(upvotesOf(await after.json(), paper.id)).toBe(1);
    expect(upvotesOf((await ada.json('GET', list)).body, paper.id)).toBe(1);
  });

  it('sends the shared home page and API answers compressed to clients that ask, the same document once decoded', async () => {
    await storedPaper(ctx.db);
    for (const path of ['/', '/api/daily_papers']) {
      const plain = await rawGet(ctx.server.url + path, {});
      expect(plain.headers['content-encoding'], path).toBeUndefined();
      expect(plain.headers.vary, path).toBe('Accept-Encoding');
      const brotli = await rawGet(ctx.server.url + path, { 'accept-encoding': 'gzip, deflate, br' });
      expect(brotli.headers['content-encoding'], path).toBe('br');
      expect(brotliDecompressSync(brotli.body).equals(plain.body), path).toBe(true);
      expect(brotli.body.length, path).toBeLessThan(plain.body.length / 3);
      const gzip = await rawGet(ctx.server.url + path, { 'accept-encoding': 'gzip;q=1, br;q=0.5' });
      expect(gzip.headers['content-encoding'], path).toBe('gzip');
      expect(gunzipSync(gzip.body).equals(plain.body), path).toBe(true);
      expect(
        (await rawGet(ctx.server.url + path, { 'accept-encoding': 'identity' })).body.equals(plain.body),
        path,
      ).toBe(true);
    }
    // Another encoding is another representation: its tag is the weak form, and either form revalidates.
    const plain = await rawGet(`${ctx.server.url}/api/daily_papers`, {});
    const compressed = await rawGet(`${ctx.server.url}/api/daily_papers`, { 'accept-encoding': 'br' });
    expect(compressed.headers.etag).toBe(`W/${plain.headers.etag}`);
    for (const tag of [plain.headers.etag, compressed.headers.etag] as string[]) {
      expect(
        (await rawGet(`${ctx.server.url}/api/daily_papers`, { 'accept-encoding': 'br', 'if-none-match': tag })).status,
      ).toBe(304);
    }
  });

  it('sends every other HTML page compressed too: search, paper, signed-in and error pages', async () => {
    const paper = await storedPaper(ctx.db);
    const ada = await signedUp(ctx.db, ctx.server.url);
    const session = { cookie: `${SESSION_COOKIE}=${ada.cookie(SESSION_COOKIE)}` };
    const pages: [string, Record<string, string>, number][] = [
      ['/search?q=paper', {}, 200],
      [`/papers/${paper.id}`, {}, 200],
      ['/', session, 200],
      ['/account', session, 200],
      ['/papers/2401.99999', {}, 404],
    ];
    for (const [path, headers, status] of pages) {
      const plain = await rawGet(ctx.server.url + path, headers);
      expect(plain.status, path).toBe(status);
      expect(plain.headers['content-encoding'], path).toBeUndefined();
      expect(plain.body.toString(), path).toContain('</html>');
      const brotli = await rawGet(ctx.server.url + path, { ...headers, 'accept-encoding': 'gzip, deflate, br' });
      expect(brotli.status, path).toBe(status);
      expect(brotli.headers['content-encoding'], path).toBe('br');
      expect(brotli.headers.vary, path).toContain('Accept-Encoding');
      // Signed-in pages carry a fresh CSRF token in each render; the rest must match byte for byte.
      const decoded = brotliDecompressSync(brotli.body).toString();
      expect(decoded.length, path).toBeGreaterThan(plain.body.length * 0.9);
      expect(decoded, path).toContain('</html>');
      expect(brotli.body.length, path).toBeLessThan(plain.body.length / 2);
      const gzip = await rawGet(ctx.server.url + path, { ...headers, 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding'], path).toBe('gzip');
      expect(gunzipSync(gzip.body).toString(), path).toContain('</html>');
    }
  });
});
