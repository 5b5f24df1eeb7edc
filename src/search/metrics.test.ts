import { describe, expect, it } from 'vitest';
import { ndcgAt, recallAt } from './metrics.js';

describe('ndcgAt', () => {
  it('is 1 for a perfect ranking and discounts relevant papers found lower', () => {
    expect(ndcgAt(['a', 'b', 'x'], new Set(['a', 'b']), 10)).toBe(1);
    expect(ndcgAt(['x', 'a'], new Set(['a']), 10)).toBeCloseTo(1 / Math.log2(3));
    expect(ndcgAt(['x', 'y'], new Set(['a']), 10)).toBe(0);
  });

  it('ignores what lies past k', () => {
    expect(ndcgAt(['x', 'a'], new Set(['a']), 1)).toBe(0);
  });
});

describe('recallAt', () => {
  it('counts the relevant papers within the first k, each once', () => {
    expect(recallAt(['a', 'x', 'b', 'a'], new Set(['a', 'b', 'c', 'd']), 3)).toBe(0.5);
    expect(recallAt([], new Set(['a']), 100)).toBe(0);
  });
});
