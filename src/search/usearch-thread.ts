/**
 * Worker thread entry of UsearchIndex: the HNSW graph lives here, so building, loading, saving and
 * digesting it (tens of seconds for 100k vectors) never blocks the thread that answers requests.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Index } from 'usearch';
import { MovedAnswer, serveThreadCalls } from '../thread.js';
import { hnswConfig, type VectorScalar } from './hnsw.js';

/**
 * One native thread builds the graph. usearch takes every core by default, and with the embedding job on another
 * thread that left the server's own thread none: a page waited two seconds while 97k vectors went in.
 */
const INDEXING_THREADS = 1;

// usearch's ES module finds its native build from the stack trace, which on a worker thread started from
// source text names no file (it then recurses forever); its CommonJS build knows its own directory.
const { Index: UsearchIndex } = createRequire(import.meta.url)('usearch') as typeof import('usearch');

// This thread's one index: each UsearchIndex starts a thread of its own, so this is that index's state.
let index: Index | null = null;

function fresh(dimensions: number, scalar: VectorScalar): Index {
  return new UsearchIndex(hnswConfig(dimensions, scalar));
}

function graph(): Index {
  if (!index) throw new Error('no index open');
  return index;
}

function fileDigest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

serveThreadCalls({
  /** Starts an empty graph. */
  create(dimensions: number, scalar: VectorScalar): number {
    index = fresh(dimensions, scalar);
    return 0;
  },
  /** Loads a saved graph when its digest matches; its size, or null (the caller rebuilds). */
  load(file: string, sha256: string, dimensions: number, scalar: VectorScalar): number | null {
    // The native loader trusts the file: a damaged one could crash the process, so it is checked against the digest first.
    if (fileDigest(file) !== sha256) return null;
    const loaded = fresh(dimensions, scalar);
    try {
      loaded.load(file);
    } catch {
      return null; // A truncated or foreign file.
    }
    if (loaded.dimensions() !== dimensions) return null;
    index = loaded;
    return loaded.size();
  },
  /** Replaces the vectors of these keys (removing any stored under them), skipping keys without a vector; the new size. */
  upsert(keys: number[], addKeys: number[], matrix: Float32Array): number {
    const target = graph();
    const stale = keys.filter((key) => target.contains(BigInt(key)));
    if (stale.length > 0) target.remove(BigUint64Array.from(stale, BigInt));
    if (addKeys.length > 0) target.add(BigUint64Array.from(addKeys, BigInt), matrix, INDEXING_THREADS);
    return target.size();
  },
  /** Writes the graph and what it holds beside it, atomically. */
  save(file: string, meta: Record<string, unknown>): void {
    const target = graph();
    target.save(`${file}.tmp`);
    renameSync(`${file}.tmp`, file);
    writeFileSync(`${file}.json.tmp`, JSON.stringify({ ...meta, size: target.size(), sha256: fileDigest(file) }));
    renameSync(`${file}.json.tmp`, `${file}.json`);
  },
  search(query: Float32Array, k: number): MovedAnswer {
    const matches = graph().search(query, k, 0);
    const keys = Float64Array.from(matches.keys, Number);
    const distances = Float32Array.from(matches.distances);
    return new MovedAnswer({ keys, distances }, [keys.buffer, distances.buffer]);
  },
});
