import { describe, expect, it } from 'vitest';
import { FNV_OFFSET, FNV_PRIME, fnv1a } from './fnv.js';

describe('fnv1a', () => {
  it('gives the published FNV-1a 32-bit values', () => {
    expect(fnv1a('') >>> 0).toBe(0x811c9dc5);
    expect(fnv1a('a') >>> 0).toBe(0xe40c292c);
    expect(fnv1a('foobar') >>> 0).toBe(0xbf9cf968);
  });

  it('hashes a slice as the scanning form does, without making the slice', () => {
    let hash = FNV_OFFSET;
    for (const c of 'graph') hash = Math.imul(hash ^ c.charCodeAt(0), FNV_PRIME);
    expect(fnv1a('a graph network', 2, 7)).toBe(hash);
    expect(fnv1a('graph')).toBe(hash);
  });
});
