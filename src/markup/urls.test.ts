import { describe, expect, it } from 'vitest';
import { paper } from '../../test/factories/papers.js';
import { doiOf, isHttpUrl, paperPath, periodPath } from './urls.js';

describe('page paths', () => {
  it('keeps slashes and colons of paper ids readable and encodes the rest', () => {
    expect(paperPath('2203.06604')).toBe('/papers/2203.06604');
    expect(paperPath('hep-th/9901001')).toBe('/papers/hep-th/9901001');
    expect(paperPath('doi:10.1101/2024.01.02.123456')).toBe('/papers/doi:10.1101/2024.01.02.123456');
    expect(paperPath('doi:10.1000/a b?c#d"<')).toBe('/papers/doi:10.1000/a%20b%3Fc%23d%22%3C');
  });

  it('names the period pages', () => {
    expect(periodPath('day', '2026-11-27')).toBe('/papers/date/2026-11-27');
    expect(periodPath('week', '2026-W48')).toBe('/papers/week/2026-W48');
    expect(periodPath('month', '2026-11')).toBe('/papers/month/2026-11');
  });
});

describe('link helpers', () => {
  it('finds a DOI on the paper or in a doi: id', () => {
    expect(doiOf(paper({ doi: '10.1/x' }))).toBe('10.1/x');
    expect(doiOf(paper({ id: 'doi:10.2/y' }))).toBe('10.2/y');
    expect(doiOf(paper({ id: '2203.06604' }))).toBeNull();
  });

  it('accepts only http(s) URLs for links', () => {
    expect(isHttpUrl('https://github.com/a/b')).toBe(true);
    expect(isHttpUrl('HTTP://example.org')).toBe(true);
    for (const url of ['javascript:alert(1)', ' https://x.org', 'data:text/html,x', '//evil.org', null])
      expect(isHttpUrl(url)).toBe(false);
  });
});
