import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, LruCache, renderedFeed } from './cache.js';

describe('LRU cache', () => {
  it('replaces an entry in place and evicts the least recently used to stay within its byte budget', () => {
    const cache = new LruCache<string>(10, (s) => s.length);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    cache.set('a', 'AAAA');
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBe('bbbb'); // now b is the most recently used
    cache.set('c', 'cccc');
    expect(cache.get('a')).toBeNull();
    expect(cache.get('b')).toBe('bbbb');
    expect(cache.get('c')).toBe('cccc');
    cache.set('huge', 'x'.repeat(11));
    expect(cache.get('huge')).toBeNull();
    expect(cache.size).toBe(2);
  });
});

describe('rendered feed', () => {
  it('keeps the document and the same gzipped', () => {
    const feed = renderedFeed({ etag: 'W/"1"', lastModified: null }, '<rss>é</rss>');
    expect(feed.identity.toString()).toBe('<rss>é</rss>');
    expect(gunzipSync(feed.gzip).toString()).toBe('<rss>é</rss>');
  });

  it('reads whether a reader accepts gzip', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
