import { describe, expect, it } from 'vitest';
import { dense, dot, orthonormalColumns, symmetricEigen, truncatedSvd, type SparseRows } from './linalg.js';

function sparse(rows: number[][]): SparseRows {
  const start = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const row of rows) {
    row.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        values.push(v);
      }
    });
    start.push(indices.length);
  }
  return {
    rows: rows.length,
    columns: rows[0]!.length,
    start: Uint32Array.from(start),
    indices: Uint32Array.from(indices),
    values: Float32Array.from(values),
  };
}

describe('symmetricEigen', () => {
  it('finds eigenvalues in descending order with unit eigenvectors', () => {
    const m = dense(2, 2);
    m.data.set([2, 1, 1, 2]);
    const { values, vectors } = symmetricEigen(m);
    expect([...values].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([3, 1]);
    expect(Math.abs(vectors.data[0]!)).toBeCloseTo(Math.SQRT1_2);
  });
});

describe('orthonormalColumns', () => {
  it('drops a column that depends on the earlier ones', () => {
    const m = dense(3, 3);
    m.data.set([1, 2, 0, 0, 0, 1, 1, 2, 0]);
    const q = orthonormalColumns(m);
    expect(q.cols).toBe(2);
    const dot = q.data[0]! * q.data[1]! + q.data[2]! * q.data[3]! + q.data[4]! * q.data[5]!;
    expect(dot).toBeCloseTo(0);
  });
});

describe('truncatedSvd', () => {
  it('recovers the singular values of a low-rank matrix', () => {
    // Rank 2: rows are combinations of two patterns.
    const a = sparse([
      [3, 0, 0, 0],
      [0, 2, 0, 0],
      [3, 0, 0, 0],
      [0, 2, 0, 0],
    ]);
    const svd = truncatedSvd(a, 3);
    expect(svd.values.length).toBe(2);
    expect(svd.values[0]).toBeCloseTo(Math.sqrt(18));
    expect(svd.values[1]).toBeCloseTo(Math.sqrt(8));
  });
});

describe('dot', () => {
  it('sums every product, whatever the length, from where it is told to start in the second array', () => {
    for (const length of [0, 1, 3, 4, 5, 7, 8, 257]) {
      const a = Float32Array.from({ length }, (_, i) => (i % 5) - 2);
      const b = Float32Array.from({ length: length + 3 }, (_, i) => (i % 7) - 3);
      let expected = 0;
      for (let i = 0; i < length; i++) expected += a[i]! * b[i + 3]!;
      expect(dot(a, b, 3)).toBe(expected);
      expect(dot(a, b.subarray(0, length))).toBe(a.reduce((sum, x, i) => sum + x * b[i]!, 0));
    }
  });
});
