import { describe, expect, it } from 'vitest';
import { hostileRedirectTarget, SeededRandom } from '../../test/helpers/random.js';
import { safeNextPath } from './next-path.js';

const SITE = 'https://dailypapers.example';

/** Where a browser goes when it follows `location` from a page of SITE. */
const followed = (location: string) => new URL(location, `${SITE}/login`);

describe('safeNextPath', () => {
  it('keeps local paths, percent-encoding what a header cannot carry', () => {
    expect(safeNextPath('/papers/2501.00001#comments')).toBe('/papers/2501.00001#comments');
    expect(safeNextPath('/papers/hep-th/9901001?x=1')).toBe('/papers/hep-th/9901001?x=1');
    expect(safeNextPath('/search?q=attention is all')).toBe('/search?q=attention%20is%20all');
    expect(safeNextPath('/authors/jürgen-schmidhuber')).toBe('/authors/j%C3%BCrgen-schmidhuber');
  });

  it('refuses anything that could leave the site', () => {
    for (const raw of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '/ok\r\nLocation: x',
      42,
      undefined,
      '/\t/evil.example/',
      '/\n/evil.example',
      '/\\/evil.example',
      '/..//evil.example',
      '/.//evil.example',
      '\t//evil.example',
    ]) {
      expect(safeNextPath(raw), JSON.stringify(raw)).toBe('/');
    }
  });

  it('always gives a same-site path of printable ASCII, for 20,000 hostile targets', () => {
    const random = new SeededRandom(20261204);
    for (let i = 0; i < 20_000; i++) {
      const raw = hostileRedirectTarget(random);
      const path = safeNextPath(raw);
      const where = `seed ${random.seed}, case ${i}: ${JSON.stringify(raw)} -> ${JSON.stringify(path)}`;
      expect(path, where).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
      expect(followed(path).origin, where).toBe(SITE);
      expect(safeNextPath(path), where).toBe(path);
    }
  });
});
