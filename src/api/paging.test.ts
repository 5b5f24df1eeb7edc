import { describe, expect, it } from 'vitest';
import { nextPageLink } from './paging.js';

describe('nextPageLink', () => {
  const site = 'https://papers.example.org';

  it('asks for the next page with every other parameter as it was', () => {
    expect(nextPageLink(site, '/api/daily_papers?week=2026-W48&limit=10&p=2', { p: 3 })).toBe(
      '<https://papers.example.org/api/daily_papers?week=2026-W48&limit=10&p=3>; rel="next"',
    );
    expect(nextPageLink(site, '/api/papers/search?q=a+b&limit=5', { p: 1 })).toBe(
      '<https://papers.example.org/api/papers/search?q=a+b&limit=5&p=1>; rel="next"',
    );
  });

  it('moves an offset by offset, and stays on this site whatever the request line says', () => {
    expect(nextPageLink(site, '/api/papers/search?q=x&offset=7&limit=3', { offset: 10 })).toBe(
      '<https://papers.example.org/api/papers/search?q=x&offset=10&limit=3>; rel="next"',
    );
    expect(nextPageLink(site, '//evil.example/api/x?p=0', { p: 1 })).toBe(
      '<https://papers.example.org/api/x?p=1>; rel="next"',
    );
  });

  it('keeps the header one line: angle brackets and quotes in a value are percent-encoded', () => {
    const link = nextPageLink(site, '/api/papers/search?q=%3E%22%0d%0aX:1', { p: 1 });
    expect(link).not.toMatch(/[\r\n]|>.*>|"[^"]*"[^;]*"/);
    expect(link).toMatch(/^<[^<>\s]+>; rel="next"$/);
  });
});
