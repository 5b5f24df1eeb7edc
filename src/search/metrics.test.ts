import { describe, expect, it } from 'vitest';
import { gradedNdcgAt, ndcgAt, recallAt } from './metrics.js';

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

describe('gradedNdcgAt', () => {
  const grades = new Map([
    ['a', 3],
    ['b', 1],
    ['c', 0],
  ]);

  it('is 1 when the higher grades come first, whatever unjudged papers lie between', () => {
    expect(gradedNdcgAt(['a', 'x', 'b', 'c'], grades, 20)).toBe(1);
    expect(gradedNdcgAt(['b', 'a'], grades, 20)).toBeCloseTo((1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)));
  });

  it('cuts at k judged papers and is 0 when nothing judged is found or nothing is relevant', () => {
    expect(gradedNdcgAt(['c', 'a'], grades, 1)).toBe(0);
    expect(gradedNdcgAt(['x', 'y'], grades, 20)).toBe(0);
    expect(gradedNdcgAt(['a'], new Map([['a', 0]]), 20)).toBe(0);
  });
});
