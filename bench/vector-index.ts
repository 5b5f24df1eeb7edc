/**
 * The vector index's memory and speed as the corpus grows, past what the 97k corpus shows: synthetic
 * 256-d unit vectors (noise around 2,000 random topic directions, so neighbours exist as among papers)
 * go straight into the product's HNSW graph (hnswConfig, two threads) up to each size of
 * VECTOR_BENCH_SIZES (default 100,000,250,000,500,000). At each size: the saved graph's bytes per vector, the
 * process's resident memory, search p50 over 200 queries and recall@10 against exact search. At the
 * largest size the saved file is opened in fresh processes, loaded into memory and memory-mapped
 * (usearch `view`), to compare their resident memory after the same searches.
 * Anchors: the 1,024 bytes of a raw 32-bit vector, and exact (brute-force) search of the same queries, in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exactSearch, Index, MetricKind } from 'usearch';
import { hnswConfig, VECTOR_SCALAR } from '../src/search/hnsw.js';
import { printResult, round } from './_common.js';
import { percentiles } from './lib/search-queries.js';

const DIMENSIONS = 256;
const TOPICS = 2000;
const QUERIES = 200;
const RECALL_QUERIES = 100;
const sizes = (process.env.VECTOR_BENCH_SIZES ?? '100000,250000,500000').split(',').map(Number);
const rssMb = () => round(process.memoryUsage().rss / 2 ** 20, 0);

/** A seeded generator (mulberry32), so every run indexes the same vectors. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const next = random(1);
const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
const topics = Array.from({ length: TOPICS }, () => Float32Array.from({ length: DIMENSIONS }, gaussian));

/** `count` unit vectors, each a topic direction plus as much noise. */
function vectors(count: number): Float32Array {
  const out = new Float32Array(count * DIMENSIONS);
  for (let i = 0; i < count; i++) {
    const topic = topics[Math.floor(next() * TOPICS)]!;
    let norm = 0;
    for (let j = 0; j < DIMENSIONS; j++) {
      const x = topic[j]! + gaussian();
      out[i * DIMENSIONS + j] = x;
      norm += x * x;
    }
    for (let j = 0; j < DIMENSIONS; j++) out[i * DIMENSIONS + j]! /= Math.sqrt(norm);
  }
  return out;
}

const scratch = mkdtempSync(join(tmpdir(), 'dailypapers-vector-bench-'));
const rssAtStart = rssMb();
const graph = new Index(hnswConfig(DIMENSIONS));
// Every vector is kept for exact search (the anchor and the recall truth): its bytes are in the RSS below.
const all = new Float32Array(Math.max(...sizes) * DIMENSIONS);
const queries = vectors(QUERIES);
const query = (q: number) => queries.slice(q * DIMENSIONS, (q + 1) * DIMENSIONS);
const curve: Record<string, unknown>[] = [];
let file = '';
try {
  let size = 0;
  for (const target of sizes) {
    const batch = vectors(target - size);
    all.set(batch, size * DIMENSIONS);
    const started = performance.now();
    graph.add(
      BigUint64Array.from({ length: target - size }, (_, i) => BigInt(size + i)),
      batch,
      2,
    );
    const addSeconds = (performance.now() - started) / 1000;
    size = target;
    file = join(scratch, `${size}.usearch`);
    graph.save(file);
    const dataset = all.subarray(0, size * DIMENSIONS);
    const annTimes: number[] = [];
    const exactTimes: number[] = [];
    let found = 0;
    for (let q = 0; q < QUERIES; q++) {
      let t = performance.now();
      const approximate = graph.search(query(q), 10, 0);
      annTimes.push(performance.now() - t);
      if (q >= RECALL_QUERIES) continue;
      t = performance.now();
      const exact = exactSearch(dataset, query(q), DIMENSIONS, 10, MetricKind.Cos);
      exactTimes.push(performance.now() - t);
      const truth = new Set(Array.from(exact.keys, Number));
      found += Array.from(approximate.keys, Number).filter((key) => truth.has(key)).length / 10;
    }
    curve.push({
      vectors: size,
      add_seconds: round(addSeconds, 1),
      bytes_per_vector: round(statSync(file).size / size, 0),
      rss_mb: rssMb(),
      raw_vectors_mb: round((size * DIMENSIONS * 4) / 2 ** 20, 0),
      search: percentiles(annTimes),
      anchor_exact_search: percentiles(exactTimes),
      recall_at_10: round(found / RECALL_QUERIES, 4),
    });
    process.stderr.write(`${JSON.stringify(curve.at(-1))}\n`);
    if (file !== join(scratch, `${sizes.at(-1)}.usearch`)) rmSync(file);
  }

  const queryFile = join(scratch, 'queries.f32');
  writeFileSync(queryFile, queries);
  // The largest file in a fresh process: loaded into memory, and memory-mapped, after the same searches.
  const opened = (how: 'load' | 'view') =>
    JSON.parse(
      execFileSync(process.execPath, [
        '-e',
        `const { Index } = require('usearch');
         const before = process.memoryUsage().rss;
         const graph = new Index(${JSON.stringify(hnswConfig(DIMENSIONS))});
         graph.${how}(${JSON.stringify(file)});
         const bytes = require('node:fs').readFileSync(${JSON.stringify(queryFile)});
         const queries = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
         const started = performance.now();
         for (let q = 0; q < ${QUERIES}; q++) graph.search(queries.slice(q * ${DIMENSIONS}, (q + 1) * ${DIMENSIONS}), 10, 0);
         const ms = (performance.now() - started) / ${QUERIES};
         console.log(JSON.stringify({ rss_mb: Math.round((process.memoryUsage().rss - before) / 2 ** 20), mean_search_ms: Math.round(ms * 100) / 100 }));`,
      ]).toString(),
    ) as { rss_mb: number; mean_search_ms: number };

  printResult({
    bench: 'vector-index',
    dimensions: DIMENSIONS,
    scalar: VECTOR_SCALAR,
    rss_mb_at_start: rssAtStart,
    curve,
    fresh_process_rss_growth_mb: { loaded: opened('load'), memory_mapped: opened('view') },
    anchor: 'raw 32-bit vectors: 1,024 bytes each; exact search over every vector of the same size',
  });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
