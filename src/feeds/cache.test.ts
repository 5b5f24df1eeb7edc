import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { LruCache, renderedFeed } from './cache.js';

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
  it('keeps the document and the same gzipped and in brotli', () => {
    const feed = renderedFeed({ etag: 'W/"1"', lastModified: null }, '<rss>é</rss>');
    expect(feed.bytes.identity.toString()).toBe('<rss>é</rss>');
    expect(gunzipSync(feed.bytes.gzip).toString()).toBe('<rss>é</rss>');
    expect(brotliDecompressSync(feed.bytes.br).toString()).toBe('<rss>é</rss>');
  });
});
