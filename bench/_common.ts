/** What the benchmarks share: the data files, the machine's state, and how a figure is printed. */
import type autocannon from 'autocannon';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ARXIV_97K = fileURLToPath(new URL('../../shared/data/arxiv-97k.jsonl.gz', import.meta.url));

/** Benchmarks share machines; the load average says how far to trust absolute figures (ratios travel better). */
export function machine() {
  return {
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model,
    node: process.version,
    load_average_1m: Number(loadavg()[0]!.toFixed(2)),
  };
}

export function printResult(result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...result, machine: machine() })}\n`);
}

export function round(n: number, digits = 2): number {
  return Number(n.toFixed(digits));
}

/** BENCH_DATABASE_URL, or the local server when one answers; null when there is no PostgreSQL to use. */
export async function benchPostgresUrl(): Promise<string | null> {
  const url =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return url;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** CPU seconds this process spent while `body` ran, and the wall seconds. */
export async function timed<T>(body: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await body();
  const used = process.cpuUsage(cpu);
  return { value, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

/** What browsers and feed readers send: the benches ask like them. */
export const CLIENT_ENCODINGS = 'gzip, deflate, br';

/**
 * An autocannon client setup: bodies still count as bytes read, but are not kept or decoded.
 * autocannon would otherwise decode each body as UTF-8 text, which costs the client far more for
 * large or compressed bodies than for hello-world and would measure the client, not the server.
 */
export function discardBodies(client: autocannon.Client): void {
  (client as unknown as { pipelinedRequests: { addBody(data: Buffer): void } }).pipelinedRequests.addBody = () => {};
}
