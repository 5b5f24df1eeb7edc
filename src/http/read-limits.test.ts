import { describe, expect, it } from 'vitest';
import { readKind } from './read-limits.js';

describe('readKind', () => {
  it('counts searches apart from the rest of the API and the feeds', () => {
    expect(readKind('/search?q=graph')).toBe('search');
    expect(readKind('/api/papers/search?q=graph&p=2')).toBe('search');
    expect(readKind('/feed.xml?q=graph')).toBe('search');
    expect(readKind('/atom.xml?category=cs.CL')).toBe('read');
    expect(readKind('/api/daily_papers?sort=trending')).toBe('read');
    expect(readKind('/api/papers/2203.06604')).toBe('read');
  });

  it('leaves the reading pages, static files and health checks alone', () => {
    const open = ['/', '/papers/date/2026-11-27?page=2', '/papers/2203.06604', '/static/x.css', '/healthz'];
    for (const url of open) expect(readKind(url)).toBeNull();
  });
});
