import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { parseRetryAfter } from '../ingest/arxiv/client.js';
import type { Embedder, EmbedPurpose } from './embedder.js';
import { SearchModeUnavailable } from './errors.js';
import { normalize } from './lsa.js';

/** An OpenAI-compatible embeddings endpoint (text-embeddings-inference, Ollama, vLLM, llama.cpp) and how to use it. */
export interface EmbeddingServer {
  /** The server's base URL, or its full `/v1/embeddings` URL. */
  url: string;
  /** The model name sent with every request; it names the vectors' space. */
  model: string;
  apiKey?: string;
  /** Texts per request. */
  batchSize: number;
  /** Requests in flight at once: more batches wait for one to finish (back-pressure). */
  concurrency: number;
  /** A request that takes longer is abandoned (and retried, for papers). */
  timeoutMs: number;
  /** Retries of a paper batch after a network error, a timeout, 408, 429 or 5xx; a query is asked once. */
  retries: number;
  /** First retry delay, doubled each retry, unless the server's Retry-After says otherwise. */
  backoffMs: number;
}

/** A longer Retry-After than this fails the batch instead of holding the embedding run. */
const MAX_RETRY_AFTER_MS = 60_000;
/** A query (one search) waits at most this long for its vector before the search answers by words. */
const QUERY_TIMEOUT_MS = 5_000;

/** The server the settings name, or undefined when EMBEDDING_URL is unset. */
export function embeddingServerOf(config: Config): EmbeddingServer | undefined {
  if (!config.EMBEDDING_URL || !config.EMBEDDING_MODEL) return undefined;
  return {
    url: config.EMBEDDING_URL,
    model: config.EMBEDDING_MODEL,
    apiKey: config.EMBEDDING_API_KEY,
    batchSize: config.EMBEDDING_BATCH_SIZE,
    concurrency: config.EMBEDDING_CONCURRENCY,
    timeoutMs: config.EMBEDDING_TIMEOUT_MS,
    retries: config.EMBEDDING_RETRIES,
    backoffMs: config.EMBEDDING_BACKOFF_MS,
  };
}

/** The model's id in the database: changing EMBEDDING_MODEL changes it, and every paper is embedded again. */
export function serverModelId(server: Pick<EmbeddingServer, 'model'>): string {
  return `server:${server.model}`;
}

/**
 * The server failed or answered something unusable (wrong dimensions, NaN, a malformed body). For a
 * search it makes semantic ranking unavailable (hybrid answers by words); an embedding run stops
 * before writing the batch, so nothing stored changes.
 */
export class EmbeddingServerError extends SearchModeUnavailable {}

function endpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  if (trimmed.endsWith('/embeddings')) return trimmed;
  return trimmed.endsWith('/v1') ? `${trimmed}/embeddings` : `${trimmed}/v1/embeddings`;
}

class RetryableError extends EmbeddingServerError {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** The vectors of one response, in input order, checked: one per text, `dimensions` finite numbers each. */
function vectorsOf(body: unknown, count: number, dimensions: number | null, what: string): Float32Array[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length !== count)
    throw new EmbeddingServerError(
      `${what} answered ${Array.isArray(data) ? `${data.length} embeddings` : 'no "data" list'} for ${count} texts`,
    );
  const items = data.map((item: unknown, position) => {
    const { embedding, index } = (item ?? {}) as { embedding?: unknown; index?: unknown };
    if (!Array.isArray(embedding))
      throw new EmbeddingServerError(`${what} answered an item without an "embedding" list`);
    return { embedding: embedding as unknown[], index: typeof index === 'number' ? index : position };
  });
  items.sort((a, b) => a.index - b.index);
  const expected = dimensions ?? items[0]!.embedding.length;
  return items.map(({ embedding }) => {
    if (embedding.length !== expected || expected === 0)
      throw new EmbeddingServerError(
        `${what} answered a vector of ${embedding.length} dimensions; the model's vectors have ${expected}`,
      );
    if (!embedding.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw new EmbeddingServerError(`${what} answered a vector with NaN, infinite or non-numeric values`);
    return normalize(Float32Array.from(embedding as number[]));
  });
}

async function request(
  server: EmbeddingServer,
  texts: string[],
  dimensions: number | null,
  timeoutMs: number,
): Promise<Float32Array[]> {
  const what = `embeddings server ${endpoint(server.url)} (model ${server.model})`;
  let response: Response;
  try {
    response = await fetch(endpoint(server.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(server.apiKey ? { authorization: `Bearer ${server.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: server.model, input: texts, encoding_format: 'float' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(error);
    throw new RetryableError(`${what}: ${reason}`);
  }
  if (!response.ok) {
    const detail = (await response.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
    const message = `${what} answered ${response.status}${detail ? `: ${detail}` : ''}`;
    if (response.status === 408 || response.status === 429 || response.status >= 500)
      throw new RetryableError(message, parseRetryAfter(response.headers.get('retry-after') ?? undefined));
    throw new EmbeddingServerError(message);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Python servers write NaN and Infinity as bare tokens, which JSON does not have.
    if (/\b(?:NaN|Infinity)\b/.test(text))
      throw new EmbeddingServerError(`${what} answered a vector with NaN or infinite values`);
    throw new EmbeddingServerError(`${what} answered a body that is not JSON`);
  }
  return vectorsOf(body, texts.length, dimensions, what);
}

async function withRetries<T>(server: EmbeddingServer, logger: Logger | undefined, attempt: () => Promise<T>) {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof RetryableError) || retry >= server.retries) throw error;
      if (error.retryAfterMs !== null && error.retryAfterMs > MAX_RETRY_AFTER_MS)
        throw new EmbeddingServerError(`${error.message}; Retry-After exceeds ${MAX_RETRY_AFTER_MS} ms`);
      const waitMs = error.retryAfterMs ?? server.backoffMs * 2 ** retry;
      logger?.warn({ retry: retry + 1, waitMs, error: error.message }, 'embeddings server failed; retrying');
      await sleep(waitMs);
    }
  }
}

/**
 * An embedder over the server: texts go in batches of `batchSize`, at most `concurrency` requests
 * at once, each checked (count, dimensions, finite values) and scaled to unit length. Connecting asks
 * for one vector, so a server that is down or answers garbage is known before anything is stored.
 */
export async function connectEmbeddingServer(server: EmbeddingServer, logger?: Logger): Promise<Embedder> {
  const [probe] = await withRetries(server, logger, () => request(server, ['probe'], null, server.timeoutMs));
  const dimensions = probe!.length;
  const embed = async (texts: string[], purpose: EmbedPurpose = 'papers'): Promise<Float32Array[]> => {
    if (purpose === 'query') return request(server, texts, dimensions, Math.min(server.timeoutMs, QUERY_TIMEOUT_MS));
    const batches: string[][] = [];
    for (let start = 0; start < texts.length; start += server.batchSize)
      batches.push(texts.slice(start, start + server.batchSize));
    const results: Float32Array[][] = new Array(batches.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < batches.length && !failed) {
        const at = next++;
        try {
          results[at] = await withRetries(server, logger, () =>
            request(server, batches[at]!, dimensions, server.timeoutMs),
          );
        } catch (error) {
          failed = true; // the other workers take no further batch
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(server.concurrency, batches.length) }, worker));
    return results.flat();
  };
  return { modelId: serverModelId(server), dimensions, embed };
}
