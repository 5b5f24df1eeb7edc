/**
 * Latency of pages while heavy search work runs: with the 97k corpus imported and no vectors,
 * `serve` is probed one request at a time (`/`, a search, trending) for BENCH_PROBE_SECONDS (90)
 * in three phases: the anchor (web only, nothing running behind it), while the first embedding job
 * fits and encodes, and after a restart without the saved index file (the index is rebuilt).
 * Goal: max under 1 s and p99 under 300 ms in every phase; the ratios to the anchor travel between machines.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBin } from '../test/helpers/cli.js';
import { startServeProcess, type ServeProcess } from '../test/helpers/serve-process.js';
import { ARXIV_97K, printResult, round } from './_common.js';
import { UNLIMITED_VISITORS } from './lib/child-server.js';
import { percentiles } from './lib/search-queries.js';

const PROBE_SECONDS = Number(process.env.BENCH_PROBE_SECONDS ?? 90);
const CORPUS = process.env.BENCH_CORPUS ?? ARXIV_97K;
const PATHS = ['/', '/search?q=diffusion+language+models', '/papers/trending'];

const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-embed-'));
const database = join(dir, 'papers.db');
const baseEnv = { DATABASE_URL: database, LOG_LEVEL: 'info', ARXIV_INGEST_ENABLED: 'false' };

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], {
      env: { PATH: process.env.PATH, ...baseEnv },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`dailypapers ${args.join(' ')} exited ${code}`)),
    );
  });
}

function serve(services: string): Promise<ServeProcess> {
  return startServeProcess({ ...baseEnv, ...UNLIMITED_VISITORS, SCHEDULER_ENABLED: 'true', SERVICES: services });
}

/** Probes the paths in turn, one request at a time, for the given seconds. */
async function probe(url: string, seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end; i++) {
    const started = performance.now();
    const response = await fetch(`${url}${PATHS[i % PATHS.length]}`, {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    await response.arrayBuffer();
    if (!response.ok) errors++;
    latencies.push(performance.now() - started);
  }
  return { requests: latencies.length, ...percentiles(latencies), max_ms: round(Math.max(...latencies), 1), errors };
}

const said = (served: ServeProcess, message: string) => served.output().includes(message);

try {
  await run(['migrate']);
  await run(['import', CORPUS]);

  // The anchor: the same probes with nothing running behind them (no worker, no vectors).
  const web = await serve('web');
  const anchor = await probe(web.url, PROBE_SECONDS);
  await web.stop();

  // The first embedding job, planned by the scheduler at start.
  const full = await serve('web,worker,scheduler');
  const whileEmbedding = await probe(full.url, PROBE_SECONDS);
  const embedFinishedDuringProbe = said(full, 'paper vectors computed');
  while (!said(full, 'paper vectors computed')) await new Promise((resolve) => setTimeout(resolve, 1000));
  while (!existsSync(`${database}.vectors.usearch`))
    await (await fetch(`${full.url}/search?q=warm+the+index`)).arrayBuffer();
  await full.stop();

  // A restart without the index file: the index is rebuilt from the stored vectors.
  rmSync(`${database}.vectors.usearch`, { force: true });
  rmSync(`${database}.vectors.usearch.json`, { force: true });
  const restarted = await serve('web');
  const afterRestart = await probe(restarted.url, PROBE_SECONDS);
  const indexReadyDuringProbe = said(restarted, 'vector index ready');
  await restarted.stop();

  const ratio = (phase: { p99_ms: number }) => round(phase.p99_ms / Math.max(anchor.p99_ms, 1), 2);
  printResult({
    bench: 'embedding-latency',
    corpus: CORPUS,
    probe_seconds: PROBE_SECONDS,
    paths: PATHS,
    goal: { max_ms: 1000, p99_ms: 300 },
    anchor_ms: anchor,
    while_embedding_ms: {
      ...whileEmbedding,
      embed_finished_during_probe: embedFinishedDuringProbe,
      p99_vs_anchor: ratio(whileEmbedding),
    },
    after_restart_without_index_ms: {
      ...afterRestart,
      index_ready_during_probe: indexReadyDuringProbe,
      p99_vs_anchor: ratio(afterRestart),
    },
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
