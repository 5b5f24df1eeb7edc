/**
 * The linear algebra behind the corpus-learned embedder: a randomized truncated SVD (Halko,
 * Martinsson & Tropp 2011) of a sparse matrix. Small and dependency-free because the matrices
 * are sparse (a few hundred terms per paper) and the rank is low (a few hundred), so plain loops
 * over typed arrays are fast enough: seconds for tens of thousands of papers.
 */

/** Rows of a sparse matrix (CSR): row r's entries sit at start[r] … start[r+1]-1 of columns/values. */
export interface SparseRows {
  rows: number;
  columns: number;
  start: Uint32Array;
  indices: Uint32Array;
  values: Float32Array;
}

/** A dense matrix, row-major. */
export interface Dense {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function dense(rows: number, cols: number): Dense {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** A seeded generator of standard normal numbers (mulberry32 + Box–Muller), so a fit is reproducible. */
export function gaussianSource(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A · M, where A is sparse (r × c) and M dense (c × w). */
export function sparseTimesDense(a: SparseRows, m: Dense): Dense {
  const out = dense(a.rows, m.cols);
  const w = m.cols;
  for (let r = 0; r < a.rows; r++) {
    const base = r * w;
    for (let p = a.start[r]!; p < a.start[r + 1]!; p++) {
      const value = a.values[p]!;
      const from = a.indices[p]! * w;
      for (let j = 0; j < w; j++) out.data[base + j]! += value * m.data[from + j]!;
    }
  }
  return out;
}

/** Aᵀ · M, where A is sparse (r × c) and M dense (r × w). */
export function sparseTransposeTimesDense(a: SparseRows, m: Dense): Dense {
  const out = dense(a.columns, m.cols);
  const w = m.cols;
  for (let r = 0; r < a.rows; r++) {
    const from = r * w;
    for (let p = a.start[r]!; p < a.start[r + 1]!; p++) {
      const value = a.values[p]!;
      const base = a.indices[p]! * w;
      for (let j = 0; j < w; j++) out.data[base + j]! += value * m.data[from + j]!;
    }
  }
  return out;
}

/** Mᵀ · M (w × w). */
export function gram(m: Dense): Dense {
  const w = m.cols;
  const out = dense(w, w);
  for (let r = 0; r < m.rows; r++) {
    const base = r * w;
    for (let i = 0; i < w; i++) {
      const value = m.data[base + i]!;
      if (value === 0) continue;
      const row = i * w;
      for (let j = i; j < w; j++) out.data[row + j]! += value * m.data[base + j]!;
    }
  }
  for (let i = 0; i < w; i++) for (let j = 0; j < i; j++) out.data[i * w + j] = out.data[j * w + i]!;
  return out;
}

/**
 * An orthonormal basis of M's column space (modified Gram–Schmidt, with a second pass only for a
 * column that lost most of its length to the first: "twice is enough"); columns that are
 * (numerically) dependent on earlier ones are dropped, so the width can shrink.
 */
export function orthonormalColumns(m: Dense): Dense {
  const n = m.rows;
  const columns: Float64Array[] = [];
  for (let j = 0; j < m.cols; j++) {
    const column = new Float64Array(n);
    for (let r = 0; r < n; r++) column[r] = m.data[r * m.cols + j]!;
    const original = norm(column);
    let length = original;
    for (let pass = 0; pass < 2; pass++) {
      const before = length;
      for (const q of columns) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += q[r]! * column[r]!;
        for (let r = 0; r < n; r++) column[r]! -= dot * q[r]!;
      }
      length = norm(column);
      if (length > 0.7 * before) break;
    }
    if (length <= 1e-10 * original || length === 0) continue;
    for (let r = 0; r < n; r++) column[r]! /= length;
    columns.push(column);
  }
  const out = dense(n, columns.length);
  columns.forEach((column, j) => {
    for (let r = 0; r < n; r++) out.data[r * columns.length + j] = column[r]!;
  });
  return out;
}

function norm(vector: Float64Array): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum);
}

/**
 * Eigenvalues (descending) and eigenvectors (the columns of `vectors`) of a symmetric matrix,
 * by cyclic Jacobi rotations: exact to rounding and robust for the few-hundred-wide matrices here.
 */
export function symmetricEigen(matrix: Dense): { values: Float64Array; vectors: Dense } {
  const n = matrix.rows;
  const a = Float64Array.from(matrix.data);
  const v = dense(n, n);
  for (let i = 0; i < n; i++) v.data[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = a[i * n + j]! * a[i * n + j]!;
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-22 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v.data[k * n + p]!;
          const vkq = v.data[k * n + q]!;
          v.data[k * n + p] = c * vkp - s * vkq;
          v.data[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y]! - a[x * n + x]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = dense(n, n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors.data[k * n + to] = v.data[k * n + from]!;
  });
  return { values, vectors };
}

export interface TruncatedSvd {
  /** Singular values, descending. */
  values: Float64Array;
  /** Right singular vectors as columns: A's column space (c × k). */
  right: Dense;
}

/**
 * The top-`rank` singular values and right singular vectors of A, by a randomized range finder
 * with `powerIterations` rounds of subspace iteration (which sharpen a slowly decaying spectrum,
 * as text matrices have).
 */
export function truncatedSvd(
  a: SparseRows,
  rank: number,
  options: { oversample?: number; powerIterations?: number; seed?: number } = {},
): TruncatedSvd {
  const width = Math.min(rank + (options.oversample ?? 10), a.rows, a.columns);
  const normal = gaussianSource(options.seed ?? 1);
  const omega = dense(a.columns, width);
  for (let i = 0; i < omega.data.length; i++) omega.data[i] = normal();
  let q = orthonormalColumns(sparseTimesDense(a, omega));
  // Subspace iteration; only the tall side is re-orthonormalised, which is stable enough for a couple of rounds.
  for (let i = 0; i < (options.powerIterations ?? 2); i++)
    q = orthonormalColumns(sparseTimesDense(a, sparseTransposeTimesDense(a, q)));
  // B = Qᵀ A is small (w × c); its SVD is A's. Work with Bᵀ and the eigenvectors of B Bᵀ.
  const bt = sparseTransposeTimesDense(a, q);
  const { values, vectors } = symmetricEigen(gram(bt));
  const k = Math.min(
    rank,
    q.cols,
    values.findIndex((v) => v <= 1e-12) === -1 ? values.length : values.findIndex((v) => v <= 1e-12),
  );
  const singular = Float64Array.from(values.subarray(0, k), (v) => Math.sqrt(v));
  // V = Bᵀ U Σ⁻¹, column by column.
  const right = dense(a.columns, k);
  for (let t = 0; t < a.columns; t++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let i = 0; i < q.cols; i++) sum += bt.data[t * q.cols + i]! * vectors.data[i * vectors.cols + j]!;
      right.data[t * k + j] = sum / singular[j]!;
    }
  }
  return { values: singular, right };
}

/**
 * The dot product of `a` with as many values of `b` from `at` (the cosine similarity of unit vectors).
 * Four sums side by side: the products no longer wait on each other, about twice as fast.
 */
export function dot(a: Float32Array, b: Float32Array, at = 0): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const whole = a.length - (a.length % 4);
  let j = 0;
  for (; j < whole; j += 4, at += 4) {
    s0 += a[j]! * b[at]!;
    s1 += a[j + 1]! * b[at + 1]!;
    s2 += a[j + 2]! * b[at + 2]!;
    s3 += a[j + 3]! * b[at + 3]!;
  }
  for (; j < a.length; j++, at++) s0 += a[j]! * b[at]!;
  return s0 + s1 + s2 + s3;
}
