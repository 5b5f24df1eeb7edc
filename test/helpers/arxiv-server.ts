import { readdirSync, readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Recorded arXiv responses shipped with the project data, and the ones written for this repository's tests. */
export const SHARED_ARXIV_XML = '../shared/data/arxiv-xml';
export const OAI_FIXTURES = 'test/fixtures/arxiv-oai';

export function fixture(path: string): string {
  return readFileSync(path, 'utf8');
}

/** What the fake arXiv does with one request. */
export type ArxivReply =
  | { body: string | Buffer; status?: number; headers?: Record<string, string> }
  /** Sends headers promising the whole body, writes the first `bytes` of it, then resets the connection. */
  | { resetAfter: number; body: string }
  /** Sends headers, then one byte every `everyMs` forever: a response that never ends. */
  | { trickleEveryMs: number }
  /** Sends headers and part of a body, then goes silent with the connection open. */
  | { stallAfter: number; body: string }
  /** Answers with `reply` after `delayMs` (a slow upstream). */
  | { delayMs: number; reply: ArxivReply };

export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** When it arrived (Date.now()). */
  at: number;
}

export type Responder = (request: SeenRequest) => ArxivReply;

export interface ArxivServer {
  /** ListRecords endpoint, to use as ARXIV_OAI_URL. */
  oaiUrl: string;
  /** Export API endpoint, to use as ARXIV_API_URL. */
  apiUrl: string;
  /** Every request received, in order. */
  requests: SeenRequest[];
  /** Replaces how the server answers from now on. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

const XML = { 'content-type': 'text/xml; charset=utf-8' };

function send(res: ServerResponse, reply: ArxivReply, timers: Set<NodeJS.Timeout>): void {
  if ('delayMs' in reply) {
    const timer = setTimeout(() => send(res, reply.reply, timers), reply.delayMs);
    timers.add(timer);
    return;
  }
  if ('resetAfter' in reply) {
    const bytes = Buffer.from(reply.body);
    res.writeHead(200, { ...XML, 'content-length': String(bytes.length) });
    res.write(bytes.subarray(0, reply.resetAfter), () => res.socket?.resetAndDestroy());
    return;
  }
  if ('trickleEveryMs' in reply) {
    res.writeHead(200, XML);
    res.write('<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH>');
    const timer = setInterval(() => res.write(' '), reply.trickleEveryMs);
    timers.add(timer);
    res.on('close', () => clearInterval(timer));
    return;
  }
  if ('stallAfter' in reply) {
    res.writeHead(200, XML);
    res.write(reply.body.slice(0, reply.stallAfter));
    return;
  }
  res.writeHead(reply.status ?? 200, { ...XML, ...reply.headers });
  res.end(reply.body);
}

/** A fake arXiv (OAI-PMH at /oai, export API at /api/query) on a loopback port, answering as the test scripts it. */
export async function startArxivServer(responder: Responder): Promise<ArxivServer> {
  let respond = responder;
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const seen = { path: url.pathname, query: url.searchParams, headers: req.headers, at: Date.now() };
    requests.push(seen);
    send(res, respond(seen), timers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    oaiUrl: `${base}/oai`,
    apiUrl: `${base}/api/query`,
    requests,
    respond(next) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers OAI-PMH ListRecords by resumption token ('' for the first page); unknown tokens get badResumptionToken. */
export function oaiPages(pages: Record<string, ArxivReply>): Responder {
  return ({ query }) =>
    pages[query.get('resumptionToken') ?? ''] ?? { body: fixture(`${OAI_FIXTURES}/error-badResumptionToken.xml`) };
}

/** A page served from a fixture file. */
export function xmlFile(path: string, extra: { status?: number; headers?: Record<string, string> } = {}): ArxivReply {
  return { body: fixture(path), ...extra };
}

const RECORDED_ATOM = `${SHARED_ARXIV_XML}/atom-arxiv.py`;

/**
 * The export API answering `id_list` lookups from the recorded responses (1605.08386,
 * 1707.08567, 2104.12255v1, astro-ph/0601001, quant-ph/0201082v1, "0808.05394,1707.08567", the
 * error feed for "abc"), and with the recorded empty feed for any other id list.
 */
export function recordedAtomLookup(): Responder {
  const files = readdirSync(RECORDED_ATOM);
  return ({ query }) => {
    const key = (query.get('id_list') ?? '').replaceAll('/', '_').replaceAll(',', '_');
    const file = files.find((f) => f.startsWith(`id_${key}_s0_`)) ?? files.find((f) => f.startsWith('id_0000.0000_'))!;
    return { body: fixture(`${RECORDED_ATOM}/${file}`), status: file.startsWith('id_abc_') ? 400 : 200 };
  };
}
