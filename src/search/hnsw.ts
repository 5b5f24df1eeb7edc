import type { IndexConfig, MetricKind, ScalarKind } from 'usearch';

/**
 * How the HNSW graph stores each vector: 16-bit floats, half of 32-bit floats' bytes at the same
 * recall (README, "Scale"); 8-bit scalars lost recall@10 below 0.95. The graph's links are the
 * rest of each paper's bytes.
 */
export const VECTOR_SCALAR: VectorScalar = 'f16';
export type VectorScalar = 'f32' | 'f16' | 'i8';

/** The graph's shape: shared by the index thread and the benches that compare scalar kinds. */
export function hnswConfig(dimensions: number, scalar: VectorScalar = VECTOR_SCALAR): IndexConfig {
  // Plain strings: the thread loads usearch's CommonJS build, whose enums are these same strings.
  // expansion_search 512: recall@10 against exact search on the 97k corpus: 0.88 at 96, 0.94 at 256, 0.955 at 512
  // (32-bit floats); a search still takes a few ms.
  return {
    dimensions,
    metric: 'cos' as MetricKind,
    quantization: scalar as ScalarKind,
    connectivity: 16,
    expansion_add: 128,
    expansion_search: 512,
    multi: false,
  };
}
