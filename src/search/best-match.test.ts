import { describe, expect, it } from 'vitest';
import { bestMatches } from './best-match.js';
import { dot } from './linalg.js';

describe('bestMatches', () => {
  it('finds for each query the row with the largest inner product, as a plain loop does', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    const dimensions = 33;
    const rows = Float32Array.from({ length: 40 * dimensions }, random);
    const queries = Float32Array.from({ length: 25 * dimensions }, random);
    const { row, similarity } = bestMatches(rows, queries, dimensions);
    for (let q = 0; q < 25; q++) {
      const query = queries.subarray(q * dimensions, (q + 1) * dimensions);
      const products = Array.from({ length: 40 }, (_, r) => dot(query, rows, r * dimensions));
      const best = products.indexOf(Math.max(...products));
      expect(row[q]).toBe(best);
      expect(similarity[q]).toBeCloseTo(products[best]!, 4);
    }
  });

  it('finds a negative best product too, and none without rows or queries', () => {
    const { row, similarity } = bestMatches(Float32Array.of(-3, 0, -1, 0), Float32Array.of(1, 0), 2);
    expect([...row]).toEqual([1]);
    expect(similarity[0]).toBeCloseTo(-1);
    expect([...bestMatches(new Float32Array(0), Float32Array.of(1, 0), 2).row]).toEqual([-1]);
    expect(bestMatches(Float32Array.of(1, 0), new Float32Array(0), 2).row).toHaveLength(0);
  });
});
