import { readPaperRecords } from '../../src/ingest/jsonl.js';
import { ARXIV_97K, round } from '../_common.js';

/** Search-box queries: the first one to four words of titles spread over the corpus, deterministic. */
export async function titleQueries(count: number): Promise<string[]> {
  const titles: string[] = [];
  for await (const record of readPaperRecords(ARXIV_97K)) titles.push(record.title);
  return Array.from({ length: count }, (_, i) => {
    const words = titles[(i * 7919) % titles.length]!.split(/\s+/).filter((w) => /^[A-Za-z][A-Za-z-]{2,}$/.test(w));
    return words.slice(0, 1 + (i % 4)).join(' ');
  }).filter((q) => q.length > 0);
}

export const WARMUP = 10;

/** p50, p99 and mean of latency samples in milliseconds. */
export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!, 3);
  return { p50_ms: at(0.5), p99_ms: at(0.99), mean_ms: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 3) };
}

/** Runs each input once, one at a time, after a warm-up (page cache, JIT); returns each run's milliseconds. */
export async function latencies<T>(inputs: T[], run: (input: T) => unknown): Promise<number[]> {
  for (const input of inputs.slice(0, WARMUP)) await run(input);
  const samples: number[] = [];
  for (const input of inputs) {
    const started = performance.now();
    await run(input);
    samples.push(performance.now() - started);
  }
  return samples;
}
