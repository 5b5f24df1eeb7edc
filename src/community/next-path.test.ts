import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path.js';

describe('safeNextPath', () => {
  it('keeps local paths', () => {
    expect(safeNextPath('/papers/2501.00001#comments')).toBe('/papers/2501.00001#comments');
  });

  it('refuses anything that could leave the site', () => {
    for (const raw of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '/ok\r\nLocation: x', 42, undefined]) {
      expect(safeNextPath(raw)).toBe('/');
    }
  });
});
