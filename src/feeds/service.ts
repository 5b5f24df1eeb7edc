import type { Db } from '../db/connection.js';
import { getPapers } from '../store/papers.js';
import { LruCache, renderedFeed, renderedSize, type RenderedFeed } from './cache.js';
import { canonicalQuery, type FeedFormat, type FeedParams } from './params.js';
import { selectFeedEntries } from './query.js';
import { feedDocument, renderAtom, renderRss } from './render.js';
import { feedVersion } from './version.js';

const RENDER: Record<FeedFormat, typeof renderRss> = { rss: renderRss, atom: renderAtom };

export interface FeedServiceOptions {
  /** How long a feed's fingerprint is trusted before it is read again (0: on every request). */
  recheckMs: number;
  maxBytes: number;
  now?: () => number;
}

interface CachedFeed {
  feed: RenderedFeed;
  /** When its fingerprint was last read. */
  checkedAt: number;
}

/** How much rendered feed one process keeps in memory. */
export const FEED_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * Serves rendered feeds from memory and keeps them current without any writer having to tell it.
 *
 * Invalidation: a feed's fingerprint is its first page of papers as (id, edit time, featured day,
 * upvotes, comments), read with one lean indexed query (query.ts). A changed fingerprint means a new
 * version: the papers are loaded and rendered once, gzipped once, and cached under the new ETag.
 * Reading the database, rather than relying on hooks in the store, also sees votes, moderation and
 * ingestion done by other processes sharing PostgreSQL. Under load the fingerprint is read at most
 * once per `recheckMs` per feed (concurrent readers share one read), so a busy feed costs the
 * database nothing per request, and a change shows within that interval.
 */
export class FeedService {
  readonly #cache: LruCache<CachedFeed>;
  readonly #inFlight = new Map<string, Promise<RenderedFeed>>();
  readonly #now: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: FeedServiceOptions,
  ) {
    this.#cache = new LruCache<CachedFeed>(options.maxBytes, (cached) => renderedSize(cached.feed));
    this.#now = options.now ?? Date.now;
  }

  async current(format: FeedFormat, params: FeedParams, baseUrl: string): Promise<RenderedFeed> {
    const key = `${format} ${baseUrl} ${canonicalQuery(params)}`;
    const cached = this.#cache.get(key);
    if (cached && this.#now() - cached.checkedAt < this.options.recheckMs) return cached.feed;
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#refresh(key, format, params, baseUrl, cached).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  async #refresh(
    key: string,
    format: FeedFormat,
    params: FeedParams,
    baseUrl: string,
    cached: CachedFeed | null,
  ): Promise<RenderedFeed> {
    const checkedAt = this.#now();
    const entries = await selectFeedEntries(this.db, params);
    let version = feedVersion(key, entries);
    if (cached?.feed.version.etag === version.etag) {
      cached.checkedAt = checkedAt;
      return cached.feed;
    }
    const previous = cached?.feed.version.lastModified;
    if (previous && (!version.lastModified || version.lastModified <= previous)) {
      // A vote, a comment or a removal changes the feed but no paper's edit time: date the new
      // version by when it was seen, later than the last, so If-Modified-Since sees it too.
      version = { ...version, lastModified: new Date(Math.max(checkedAt, previous.getTime() + 1000)) };
    }
    const papers = await getPapers(
      this.db,
      entries.map((e) => e.id),
    );
    const feed = renderedFeed(version, RENDER[format](feedDocument(params, papers, baseUrl, version.lastModified)));
    this.#cache.set(key, { feed, checkedAt });
    return feed;
  }
}
