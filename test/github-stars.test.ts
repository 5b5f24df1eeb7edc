import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshStars, type StarsSettings } from '../src/enrich/stars.js';
import { upsertPapers } from '../src/store/papers.js';
import { getJson } from './api/fixtures.js';
import { featurePapers, paperRecord } from './factories/papers.js';
import { testDatabases } from './helpers/db.js';
import { getPage } from './helpers/pages.js';
import { serveFreshDatabase } from './helpers/server.js';

/** A stand-in of the GitHub REST API on loopback: each repository answers as its route says; every request is logged. */
class GithubStandIn {
  readonly requests: { path: string; ifNoneMatch?: string; authorization?: string }[] = [];
  rateLimited = false;
  private server!: Server;
  url = '';

  private routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/repos/acme/popular': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"', 'x-ratelimit-remaining': '50' });
      res.end(JSON.stringify({ full_name: 'acme/popular', stargazers_count: 1234 }));
    },
    '/repos/acme/modest': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"stargazers_count": 7}');
    },
    '/repos/acme/gone': (_req, res) => void res.writeHead(404).end('{"message":"Not Found"}'),
    '/repos/acme/wrong-types': (_req, res) => void res.writeHead(200).end('{"stargazers_count":"lots"}'),
    '/repos/acme/not-json': (_req, res) => void res.writeHead(200).end('<html>oops'),
    '/repos/acme/huge': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"stargazers_count": 5, "pad": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    },
    '/repos/acme/broken': (_req, res) => void res.writeHead(502).end('bad gateway'),
  };

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '';
      this.requests.push({
        path,
        ifNoneMatch: req.headers['if-none-match'] as string | undefined,
        authorization: req.headers.authorization,
      });
      if (this.rateLimited) {
        const reset = Math.floor(Date.now() / 1000) + 3600;
        res.writeHead(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
        return void res.end('{"message":"API rate limit exceeded"}');
      }
      const route = this.routes[path];
      if (route) route(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const REPOS = ['popular', 'modest', 'gone', 'wrong-types', 'not-json', 'huge', 'broken'];

describe.each(testDatabases())('GitHub stars on $dialect', ({ create }) => {
  const github = new GithubStandIn();
  const settings = (): StarsSettings => ({ apiUrl: github.url, token: 'tok-123', timeoutMs: 5000, refreshHours: 24 });
  const ids: Record<string, string> = {};
  beforeAll(() => github.start());
  afterAll(() => github.close());
  const site = serveFreshDatabase(create, async (db) => {
    const featured = await featurePapers(
      db,
      REPOS.map((name) => ({ day: '2026-11-27', record: { abstract: `Code: https://github.com/acme/${name}.` } })),
    );
    for (const [i, name] of REPOS.entries()) ids[name] = featured[i]!;
    const [plain] = await featurePapers(db, [{ day: '2026-11-27', upvotes: 3 }]);
    ids.plain = plain!;
  });

  it('asks each linked repository once, with the token, and stores what well-formed answers say', async () => {
    const run = await refreshStars(site.db, settings());
    expect(run).toEqual({ checked: REPOS.length, errors: 4, rateLimitedUntil: null });
    expect(github.requests.map((r) => r.path).sort()).toEqual(REPOS.map((n) => `/repos/acme/${n}`).sort());
    expect(github.requests.every((r) => r.authorization === 'Bearer tok-123')).toBe(true);
    const star = async (name: string) => (await getJson(`${site.server.url}/api/papers/${ids[name]}`)).body;
    expect(await star('popular')).toMatchObject({ githubRepo: 'https://github.com/acme/popular', githubStars: 1234 });
    expect((await star('modest')).githubStars).toBe(7);
    // Hostile or failed answers leave the count unknown: left out of the answer, not null, not a wrong number.
    for (const name of ['gone', 'wrong-types', 'not-json', 'huge', 'broken', 'plain'])
      expect(await star(name)).not.toHaveProperty('githubStars');
  });

  it('sorts by stars beside trending: in the API and on the page, unknown counts last', async () => {
    const { body } = await getJson(`${site.server.url}/api/daily_papers?sort=stars&limit=3`);
    expect(body.map((item: { paper: { id: string } }) => item.paper.id)).toEqual([ids.popular, ids.modest, ids.plain]);
    const page = await getPage(`${site.server.url}/papers/trending?sort=stars`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Most starred code');
    expect(page.html.indexOf(`/papers/${ids.popular}"`)).toBeLessThan(page.html.indexOf(`/papers/${ids.modest}"`));
    expect(page.html).toContain('<span aria-label="1234 stars">★ 1.2k</span>');
    for (const bad of ['bogus', '<script>', '', 'stars&sort=trending']) {
      const refused = await getPage(`${site.server.url}/papers/trending?sort=${encodeURIComponent(bad)}`);
      expect(refused.status).toBe(400);
      expect(refused.html).not.toContain('<script>');
    }
    expect((await getJson(`${site.server.url}/api/daily_papers?sort=starz`)).status).toBe(400);
  });

  it('asks again only when due, conditionally on the ETag, and a 304 keeps the count', async () => {
    github.requests.length = 0;
    expect(await refreshStars(site.db, settings())).toMatchObject({ checked: 0 });
    expect(github.requests).toEqual([]);
    const tomorrow = () => new Date(Date.now() + 25 * 60 * 60 * 1000);
    await refreshStars(site.db, settings(), { now: tomorrow });
    expect(github.requests.find((r) => r.path === '/repos/acme/popular')?.ifNoneMatch).toBe('"v1"');
    // The repository that is gone is asked again only after a week.
    expect(github.requests.map((r) => r.path)).not.toContain('/repos/acme/gone');
    expect((await getJson(`${site.server.url}/api/papers/${ids.popular}`)).body.githubStars).toBe(1234);
  });

  it('stops at a 403 rate limit and asks nothing more until its reset', async () => {
    github.requests.length = 0;
    github.rateLimited = true;
    const later = () => new Date(Date.now() + 3 * 24 * 60 * 60 * 1000);
    const run = await refreshStars(site.db, settings(), { now: later });
    expect(github.requests).toHaveLength(1);
    expect(run.rateLimitedUntil).not.toBeNull();
    expect(await refreshStars(site.db, settings(), { now: later })).toMatchObject({ checked: 0 });
    expect(github.requests).toHaveLength(1);
    expect((await getJson(`${site.server.url}/api/papers/${ids.popular}`)).body.githubStars).toBe(1234);
    github.rateLimited = false;
  });

  it('finds the code link in the arXiv comments too', async () => {
    const record = paperRecord({ abstract: 'No links here.', comments: '12 pages. Code: github.com/acme/popular' });
    await upsertPapers(site.db, [record]);
    await refreshStars(site.db, settings());
    expect((await getJson(`${site.server.url}/api/papers/${record.id}`)).body).toMatchObject({
      githubRepo: 'https://github.com/acme/popular',
      githubStars: 1234,
    });
  });
});
