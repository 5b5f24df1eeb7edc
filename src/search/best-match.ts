import { createRequire } from 'node:module';

type ExactSearch = typeof import('usearch').exactSearch;
let loaded: ExactSearch | null = null;

/**
 * usearch's CommonJS build, as the index thread loads it (usearch-thread.ts): its ES module finds its native
 * build from the stack trace, which is not always a file. Loaded on first use, so a process that never
 * ranks "For you" (a CLI command, a worker) never loads the native library on this thread.
 */
function exactSearch(): ExactSearch {
  loaded ??= (createRequire(import.meta.url)('usearch') as typeof import('usearch')).exactSearch;
  return loaded;
}

/**
 * For each query vector, the row of `rows` with the largest inner product, and that product: a brute-force
 * search in usearch's native SIMD code, on the calling thread. For a member's ~200 liked papers against ~200
 * candidates of 256 dimensions it takes ~1 ms, where a JavaScript loop took ~12 (the largest part of a "For
 * you" request). Both are row after row in one array; with no rows, every row is -1.
 */
export function bestMatches(
  rows: Float32Array,
  queries: Float32Array,
  dimensions: number,
): { row: Int32Array; similarity: Float32Array } {
  const count = dimensions > 0 ? queries.length / dimensions : 0;
  const row = new Int32Array(count).fill(-1);
  const similarity = new Float32Array(count);
  if (count === 0 || rows.length === 0) return { row, similarity };
  // One thread: the search is short, and the server's other threads need the cores.
  const matches = exactSearch()(rows, queries, dimensions, 1, 'ip' as Parameters<ExactSearch>[4], 1);
  const { keys, distances } = matches as { keys: BigUint64Array; distances: Float32Array };
  for (let i = 0; i < count; i++) {
    row[i] = Number(keys[i]);
    // usearch's inner-product distance is 1 − the product.
    similarity[i] = 1 - distances[i]!;
  }
  return { row, similarity };
}
