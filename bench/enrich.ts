/**
 * Summaries and keyphrases (issue 14): throughput over a sample of the 97k corpus (BENCH_RECORDS,
 * default 10,000, or `all`), extrapolated to the whole corpus, and the latency of `/` while the
 * worker's enrich.papers job computes them on its thread. Goal: 97k papers in under 10 minutes, `/`
 * p99 under 200 ms meanwhile. Anchors, in the same run: tokenizing and stemming the same texts (the
 * least any text statistics cost), and `/` probed with nothing running behind it.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { openDatabase } from '../src/db/connection.js';
import { analyze } from '../src/search/lsa.js';
import { enqueueJob } from '../src/store/jobs.js';
import { cliBin } from '../test/helpers/cli.js';
import { startServeProcess } from '../test/helpers/serve-process.js';
import { printResult, round } from './_common.js';
import { UNLIMITED_VISITORS } from './lib/child-server.js';
import { corpusLines, type CorpusLine } from './lib/corpus.js';
import { percentiles } from './lib/search-queries.js';

const CORPUS_PAPERS = 97_000;
const RECORDS = process.env.BENCH_RECORDS === 'all' ? Infinity : Number(process.env.BENCH_RECORDS ?? 10_000);
const ANCHOR_SECONDS = Number(process.env.BENCH_PROBE_SECONDS ?? 10);

const dir = mkdtempSync(join(tmpdir(), 'dailypapers-bench-enrich-'));
const database = join(dir, 'papers.db');
const env = { DATABASE_URL: database, LOG_LEVEL: 'info', ARXIV_INGEST_ENABLED: 'false' };

function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], {
      env: { PATH: process.env.PATH, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`dailypapers ${args.join(' ')} exited ${code}`)),
    );
  });
}

/** `/` one request at a time until `done` says stop (or for `seconds`); the latencies' percentiles. */
async function probeHome(url: string, until: { seconds?: number; done?: () => boolean }) {
  const latencies: number[] = [];
  const end = performance.now() + (until.seconds ?? 3600) * 1000;
  while (performance.now() < end && !until.done?.()) {
    const started = performance.now();
    const response = await fetch(`${url}/`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
  }
  return { requests: latencies.length, ...percentiles(latencies), max_ms: round(Math.max(...latencies), 1) };
}

try {
  const sample: CorpusLine[] = [];
  const file = join(dir, 'sample.jsonl');
  const out = createWriteStream(file);
  for await (const line of corpusLines()) {
    if (sample.length >= RECORDS) break;
    sample.push(line);
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await cli(['migrate']);
  await cli(['import', file, '--featured-on', '2026-11-27']);

  // Anchor 1: tokenizing and stemming every title and abstract once.
  let started = performance.now();
  for (const paper of sample) analyze(`${paper.title}\n${paper.abstract}`);
  const tokenizeSeconds = (performance.now() - started) / 1000;

  // Anchor 2: `/` with nothing running behind it.
  const served = await startServeProcess({ ...env, ...UNLIMITED_VISITORS, SERVICES: 'web,worker' });
  const idle = await probeHome(served.url, { seconds: ANCHOR_SECONDS });

  // The worker's job, on its thread, while `/` is probed.
  const db = await openDatabase(database);
  started = performance.now();
  await enqueueJob(db, 'enrich.papers', {});
  await db.close();
  const computed = () => served.output().includes('paper summaries and keywords computed');
  const during = await probeHome(served.url, { done: computed });
  while (!computed()) await new Promise((resolve) => setTimeout(resolve, 200));
  const jobSeconds = (performance.now() - started) / 1000;
  await served.stop();

  // The command line, in a process of its own: `enrich --all` over the same papers.
  const cliLine = (await cli(['enrich', '--all'])).trim();
  const cliRate = Number(/\((\d+) papers\/s\)/.exec(cliLine)?.[1]);

  const jobRate = sample.length / jobSeconds;
  printResult({
    bench: 'enrich',
    papers: sample.length,
    goal: { corpus_minutes: 10, home_p99_ms: 200 },
    anchor_tokenize_papers_per_s: round(sample.length / tokenizeSeconds, 0),
    job: {
      seconds: round(jobSeconds, 1),
      papers_per_s: round(jobRate, 0),
      corpus_minutes_extrapolated: round(CORPUS_PAPERS / jobRate / 60, 2),
      vs_tokenize_anchor: round(jobRate / (sample.length / tokenizeSeconds), 3),
    },
    cli: { line: cliLine, corpus_minutes_extrapolated: round(CORPUS_PAPERS / cliRate / 60, 2) },
    home_idle_ms: idle,
    home_during_job_ms: { ...during, p99_vs_idle: round(during.p99_ms / Math.max(idle.p99_ms, 1), 2) },
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
