import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paperRecord } from '../../test/factories/papers.js';
import { testDatabases } from '../../test/helpers/db.js';
import type { Db } from '../db/connection.js';
import { upsertPapers } from '../store/papers.js';
import { DEFAULT_FEED_PARAMS } from './params.js';
import { FeedService } from './service.js';

const BASE = 'https://papers.example.org';

describe.each(testDatabases())('feed service on $dialect', ({ create }) => {
  let db: Db;
  let clock: number;
  let service: FeedService;
  const first = paperRecord();
  beforeEach(async () => {
    db = await create();
    await upsertPapers(db, [first], { featuredOn: '2026-11-28', now: new Date('2026-11-28T08:00:00Z') });
    clock = 0;
    service = new FeedService(db, { recheckMs: 1000, maxBytes: 1_000_000, now: () => clock });
  });
  afterEach(async () => {
    await db.close();
  });

  const upvote = (id: string, upvotes: number) =>
    db.kysely.updateTable('papers').set({ upvotes }).where('id', '=', id).execute();

  it('renders once per version and reads the fingerprint again only after the recheck interval', async () => {
    const v1 = await service.current('rss', DEFAULT_FEED_PARAMS, BASE);
    expect(v1.bytes.identity.toString()).toContain(first.title);
    await upvote(first.id, 7);
    clock = 999;
    expect(await service.current('rss', DEFAULT_FEED_PARAMS, BASE)).toBe(v1);
    clock = 1000;
    const v2 = await service.current('rss', DEFAULT_FEED_PARAMS, BASE);
    expect(v2.version.etag).not.toBe(v1.version.etag);
    expect(v2.bytes.identity.toString()).toContain('▲ 7 upvotes');
    // No paper was edited, yet the feed changed: it is dated later than the version it replaces.
    expect(v1.version.lastModified?.toISOString()).toBe('2026-11-28T08:00:00.000Z');
    expect(v2.version.lastModified?.getTime()).toBe(Date.parse('2026-11-28T08:00:01.000Z'));
    clock = 2500;
    expect(await service.current('rss', DEFAULT_FEED_PARAMS, BASE)).toBe(v2);
  });

  it('keeps formats, parameters and site addresses apart', async () => {
    const rss = await service.current('rss', DEFAULT_FEED_PARAMS, BASE);
    const atom = await service.current('atom', DEFAULT_FEED_PARAMS, BASE);
    const trending = await service.current('rss', { ...DEFAULT_FEED_PARAMS, view: 'trending' }, BASE);
    const elsewhere = await service.current('rss', DEFAULT_FEED_PARAMS, 'https://other.example');
    expect(new Set([rss, atom, trending, elsewhere].map((f) => f.version.etag)).size).toBe(4);
    expect(atom.bytes.identity.toString()).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(elsewhere.bytes.identity.toString()).toContain('https://other.example/papers/');
  });

  it('shares one fingerprint read between concurrent requests for the same feed', async () => {
    const [a, b] = await Promise.all([
      service.current('rss', DEFAULT_FEED_PARAMS, BASE),
      service.current('rss', DEFAULT_FEED_PARAMS, BASE),
    ]);
    expect(a).toBe(b);
  });
});
