/**
 * Requests per second of the feed routes under load, against a plain node:http hello-world measured
 * in the same run; the ratio is the figure. Each server runs in its own process (this file, started
 * with `serve KIND`), autocannon in this one, all over 127.0.0.1. The client asks like a browser
 * (`Accept-Encoding: gzip, deflate, br`) and discards bodies unread, for every target alike; the
 * home page is also measured without Accept-Encoding (the whole HTML sent).
 */
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import { importDemoPapersIfEmpty } from '../src/ingest/demo.js';
import { freshSqlite } from '../test/helpers/db.js';
import { CLIENT_ENCODINGS, discardBodies, printResult, round } from './_common.js';
import { serveAndPrintUrl, startChildServer } from './lib/child-server.js';

const CONNECTIONS = 20;
// Short rounds that alternate between the servers, so a change in the machine's load hits all alike.
const ROUNDS = 4;
const ROUND_SECONDS = 2;
const TARGET_HOME_RATIO = 0.4;

/** Child mode: start one server, print its URL, stop on SIGTERM. */
async function serve(kind: string): Promise<void> {
  if (kind === 'hello') {
    const body = 'hello world';
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      process.stdout.write(`http://127.0.0.1:${address.port}\n`);
    });
    process.once('SIGTERM', () => server.close());
    return;
  }
  // What `npm start` serves: the demo feed (86 papers over the last 7 days) on SQLite, default settings.
  const db = await freshSqlite();
  await importDemoPapersIfEmpty(db, { today: new Date().toISOString().slice(0, 10) });
  await serveAndPrintUrl(db, { LOG_LEVEL: 'warn' });
}

interface Figures {
  requests: number;
  seconds: number;
  latencies_p50_ms: number[];
  latency_p99_ms: number;
  statuses: Record<string, number>;
  errors: number;
}

interface Target {
  url: string;
  headers: Record<string, string>;
}

async function measureRound({ url, headers }: Target, figures: Figures, duration = ROUND_SECONDS): Promise<void> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration, headers, setupClient: discardBodies });
  figures.requests += result.requests.total;
  figures.seconds += result.duration;
  figures.latencies_p50_ms.push(result.latency.p50);
  figures.latency_p99_ms = Math.max(figures.latency_p99_ms, result.latency.p99);
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    figures.statuses[code] = (figures.statuses[code] ?? 0) + (stat.count ?? 0);
  figures.errors += result.errors + result.timeouts;
}

function emptyFigures(): Figures {
  return { requests: 0, seconds: 0, latencies_p50_ms: [], latency_p99_ms: 0, statuses: {}, errors: 0 };
}

function report(figures: Figures) {
  const p50s = [...figures.latencies_p50_ms].sort((a, b) => a - b);
  return {
    requests_per_s: Math.round(figures.requests / figures.seconds),
    latency_p50_ms: p50s[Math.floor(p50s.length / 2)],
    latency_p99_ms_worst_round: figures.latency_p99_ms,
    statuses: figures.statuses,
    errors: figures.errors,
  };
}

async function main(): Promise<void> {
  const [hello, app] = await Promise.all([
    startChildServer(import.meta.url, ['hello']),
    startChildServer(import.meta.url, ['app']),
  ]);
  const asBrowser = { 'accept-encoding': CLIENT_ENCODINGS };
  const targets: Record<string, Target> = {
    hello: { url: hello.url, headers: asBrowser },
    '/': { url: `${app.url}/`, headers: asBrowser },
    '/ uncompressed': { url: `${app.url}/`, headers: {} },
    '/api/daily_papers': { url: `${app.url}/api/daily_papers`, headers: asBrowser },
  };
  const figures = Object.fromEntries(Object.keys(targets).map((name) => [name, emptyFigures()]));
  try {
    for (const target of Object.values(targets)) await measureRound(target, { ...emptyFigures() }, 1); // warm-up
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, target] of Object.entries(targets)) await measureRound(target, figures[name]!);
    }
  } finally {
    hello.child.kill('SIGTERM');
    app.child.kill('SIGTERM');
  }
  const anchor = report(figures.hello!);
  const routes: Record<string, unknown> = {};
  for (const path of ['/', '/ uncompressed', '/api/daily_papers']) {
    const route = report(figures[path]!);
    const ok = Object.keys(route.statuses).every((code) => code.startsWith('2'));
    routes[path] = {
      ...route,
      // A route another part has not built yet answers 404; its rate says nothing about the feed.
      ratio_to_hello_world: ok ? round(route.requests_per_s / anchor.requests_per_s, 3) : null,
      ...(ok
        ? {}
        : { note: `answered ${Object.keys(route.statuses).join(', ')}, not only 2xx: route missing or failing` }),
    };
  }
  const home = routes['/'] as { ratio_to_hello_world: number | null };
  printResult({
    bench: 'http',
    connections: CONNECTIONS,
    client: `autocannon, bodies discarded unread; Accept-Encoding: ${CLIENT_ENCODINGS} as browsers send, except where uncompressed`,
    seconds_each: ROUNDS * ROUND_SECONDS,
    anchor: { what: 'node:http hello world', ...anchor },
    routes,
    target: `/ at least ${TARGET_HOME_RATIO * 100}% of hello world`,
    target_met: home.ratio_to_hello_world === null ? null : home.ratio_to_hello_world >= TARGET_HOME_RATIO,
  });
}

if (process.argv[2] === 'serve') await serve(process.argv[3]!);
else await main();
