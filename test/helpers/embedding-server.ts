import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received. */
export interface EmbeddingRequest {
  model: string;
  input: string[];
  authorization: string | undefined;
}

/** What the stub answers to one request: vectors (the default), a status, or hand-made JSON. */
export type EmbeddingReply =
  | { kind: 'vectors'; dimensions?: number; poison?: number }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'json'; body: unknown };

export interface EmbeddingServerStub {
  /** The base URL, to use as EMBEDDING_URL. */
  url: string;
  requests: EmbeddingRequest[];
  /** The most requests that were in flight at once. */
  maxInFlight: number;
  /** How the next requests are answered, by their number (0-based, over the stub's life). */
  reply: (n: number, request: EmbeddingRequest) => EmbeddingReply;
  close(): Promise<void>;
}

export const STUB_DIMENSIONS = 16;

/**
 * A deterministic vector of a text: each word adds 1 to a coordinate picked by its letters, so texts
 * sharing words point alike and the same text always gets the same vector. `poison` puts NaN there.
 */
export function stubVector(text: string, dimensions = STUB_DIMENSIONS, poison?: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    let hash = 7;
    for (const c of word) hash = (hash * 31 + c.charCodeAt(0)) % 100_003;
    vector[hash % dimensions]! += 1;
  }
  if (poison !== undefined) vector[poison % dimensions] = Number.NaN;
  return vector;
}

/**
 * An OpenAI-compatible `/v1/embeddings` on loopback, as text-embeddings-inference or Ollama serve
 * it, answering each request after `delayMs` (so concurrent requests overlap and are counted).
 */
export async function startEmbeddingServer(delayMs = 5): Promise<EmbeddingServerStub> {
  let inFlight = 0;
  const stub: EmbeddingServerStub = {
    url: '',
    requests: [],
    maxInFlight: 0,
    reply: () => ({ kind: 'vectors' }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
        res.writeHead(404).end('{"error":"not found"}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string[] };
      const request = { model: body.model, input: body.input, authorization: req.headers.authorization };
      const n = stub.requests.length;
      stub.requests.push(request);
      inFlight++;
      stub.maxInFlight = Math.max(stub.maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        const reply = stub.reply(n, request);
        if (reply.kind === 'status') {
          res.writeHead(reply.status, reply.retryAfter ? { 'retry-after': reply.retryAfter } : {});
          res.end(reply.body ?? '{"error":"unavailable"}');
          return;
        }
        const json =
          reply.kind === 'json'
            ? reply.body
            : {
                object: 'list',
                model: body.model,
                // Listed last to first with their index, as some servers do: the client must reorder.
                data: body.input
                  .map((text, index) => ({
                    object: 'embedding',
                    index,
                    embedding: stubVector(text, reply.dimensions, index === 0 ? reply.poison : undefined),
                  }))
                  .reverse(),
              };
        // JSON has no NaN: written as a bare token, as a broken server would.
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json).replaceAll('null', 'NaN'));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}
