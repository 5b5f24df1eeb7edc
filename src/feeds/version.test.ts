import { describe, expect, it } from 'vitest';
import type { FeedEntry } from './query.js';
import { feedVersion, isNotModified } from './version.js';

const entry = (id: string, overrides: Partial<FeedEntry> = {}): FeedEntry => ({
  id,
  featured_on: '2026-11-27',
  published_on: '2026-11-26',
  modified_at: '2026-11-27T08:30:00.000Z',
  upvotes: 3,
  num_comments: 1,
  ...overrides,
});

describe('feed version', () => {
  const entries = [entry('2611.00001'), entry('2611.00002', { modified_at: '2026-11-28T10:15:30.250Z' })];
  const version = feedVersion('rss /feed.xml', entries);

  it('is the same for the same papers, and changes with an addition, an upvote, a comment, an edit, the order or the feed', () => {
    expect(
      feedVersion(
        'rss /feed.xml',
        entries.map((e) => ({ ...e })),
      ),
    ).toEqual(version);
    const changed = [
      [...entries, entry('2611.00003')],
      [entries[0]!, { ...entries[1]!, upvotes: 4 }],
      [entries[0]!, { ...entries[1]!, num_comments: 2 }],
      [entries[0]!, { ...entries[1]!, modified_at: '2026-11-28T11:00:00.000Z' }],
      [entries[1]!, entries[0]!],
    ];
    for (const list of changed) expect(feedVersion('rss /feed.xml', list).etag).not.toBe(version.etag);
    expect(feedVersion('atom /feed.xml', entries).etag).not.toBe(version.etag);
    expect(version.etag).toMatch(/^W\/"[\w-]+"$/);
  });

  it('was last modified at the latest edit, or the start of a featured day that came later', () => {
    expect(version.lastModified?.toISOString()).toBe('2026-11-28T10:15:30.250Z');
    expect(feedVersion('x', [entry('a', { featured_on: '2026-11-30' })]).lastModified?.toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
    expect(feedVersion('x', []).lastModified).toBeNull();
  });

  it('answers If-None-Match by weak comparison, before and instead of If-Modified-Since', () => {
    const strong = version.etag.slice(2);
    expect(isNotModified({ 'if-none-match': version.etag }, version)).toBe(true);
    expect(isNotModified({ 'if-none-match': `"other", ${strong}` }, version)).toBe(true);
    expect(isNotModified({ 'if-none-match': '*' }, version)).toBe(true);
    expect(
      isNotModified({ 'if-none-match': 'W/"other"', 'if-modified-since': 'Sat, 28 Nov 2026 12:00:00 GMT' }, version),
    ).toBe(false);
  });

  it('answers If-Modified-Since to the second', () => {
    expect(isNotModified({ 'if-modified-since': 'Sat, 28 Nov 2026 10:15:30 GMT' }, version)).toBe(true);
    expect(isNotModified({ 'if-modified-since': 'Sat, 28 Nov 2026 10:15:29 GMT' }, version)).toBe(false);
    expect(isNotModified({ 'if-modified-since': 'yesterday' }, version)).toBe(false);
    expect(isNotModified({ 'if-modified-since': 'Sat, 28 Nov 2026 10:15:30 GMT' }, feedVersion('x', []))).toBe(false);
    expect(isNotModified({}, version)).toBe(false);
  });
});
