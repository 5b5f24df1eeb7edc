import { describe, expect, it } from 'vitest';
import { FeedCache } from './cache.js';

const body = (bytes: number) => Buffer.alloc(bytes, 'x');

describe('feed cache', () => {
  it('serves an entry only while its ETag matches, and replaces it in place', () => {
    const cache = new FeedCache(100);
    cache.set('rss /', 'W/"1"', body(10));
    expect(cache.get('rss /', 'W/"1"')?.length).toBe(10);
    expect(cache.get('rss /', 'W/"2"')).toBeNull();
    cache.set('rss /', 'W/"2"', body(20));
    expect(cache.get('rss /', 'W/"2"')?.length).toBe(20);
    expect(cache.size).toBe(1);
  });

  it('evicts the least recently used entries to stay within its byte budget', () => {
    const cache = new FeedCache(100);
    cache.set('a', 'e', body(40));
    cache.set('b', 'e', body(40));
    cache.get('a', 'e');
    cache.set('c', 'e', body(40));
    expect(cache.get('b', 'e')).toBeNull();
    expect(cache.get('a', 'e')).not.toBeNull();
    expect(cache.get('c', 'e')).not.toBeNull();
    cache.set('huge', 'e', body(101));
    expect(cache.get('huge', 'e')).toBeNull();
    expect(cache.size).toBe(2);
  });
});
