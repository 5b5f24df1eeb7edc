import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';

const gunzipAsync = promisify(gunzip);

/** Larger than any arXiv page (a 1,000-record OAI page is a few MB); a bigger body is refused, not buffered. */
const MAX_BODY_BYTES = 128 * 1024 * 1024;

export type RequestFailure = 'timeout' | 'stall' | 'network' | 'status' | 'too-large' | 'retry-after' | 'aborted';

/** A request that failed for good (after its retries): what happened and to which URL. */
export class ArxivRequestError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly failure: RequestFailure,
    readonly status?: number,
  ) {
    super(`${message} (${url})`);
    this.name = 'ArxivRequestError';
  }
}

export interface ArxivResponse {
  url: string;
  status: number;
  contentType: string;
  body: string;
}

/** An answer kept as bytes (a PDF), not decoded as text. */
export interface ArxivBinaryResponse extends Omit<ArxivResponse, 'body'> {
  body: Buffer;
}

/** What one kind of request accepts: its Accept header and the largest body it reads. */
interface BodyLimits {
  accept: string;
  maxBytes: number;
}

const XML_ANSWERS: BodyLimits = { accept: 'application/xml, text/xml;q=0.9, */*;q=0.1', maxBytes: MAX_BODY_BYTES };

export interface ArxivClientOptions {
  userAgent: string;
  /** Minimum spacing between the starts of two requests to the same host. */
  delayMs: number;
  timeoutMs: number;
  stallMs: number;
  retries: number;
  backoffMs: number;
  maxRetryAfterMs: number;
  logger: Logger;
  /** Aborts the request in flight and any wait; the call rejects with failure 'aborted'. */
  signal?: AbortSignal;
}

/** The contact arXiv asks harvesters to name: ARXIV_CONTACT, else the address in MAIL_FROM. */
export function userAgentFor(config: Config): string {
  const contact = config.ARXIV_CONTACT ?? config.MAIL_FROM.match(/<([^>]+)>/)?.[1] ?? config.MAIL_FROM;
  return `dailypapers (+${config.BASE_URL}; mailto:${contact})`;
}

export function clientOptionsFrom(config: Config, logger: Logger, signal?: AbortSignal): ArxivClientOptions {
  return {
    userAgent: userAgentFor(config),
    delayMs: config.ARXIV_DELAY_MS,
    timeoutMs: config.ARXIV_TIMEOUT_MS,
    stallMs: config.ARXIV_STALL_MS,
    retries: config.ARXIV_RETRIES,
    backoffMs: config.ARXIV_BACKOFF_MS,
    maxRetryAfterMs: config.ARXIV_MAX_RETRY_AFTER_MS,
    logger,
    signal,
  };
}

/**
 * When each host may next be asked, shared by every client in the process so politeness holds across
 * callers: arXiv counts requests per client address, not per app context, so this is process-wide state.
 */
const nextSlotByHost = new Map<string, number>();

/** Reserves the next request slot for a host (synchronously, so concurrent callers queue) and waits for it. */
async function waitForTurn(host: string, delayMs: number, signal?: AbortSignal): Promise<void> {
  const now = Date.now();
  const slot = Math.max(now, nextSlotByHost.get(host) ?? 0);
  nextSlotByHost.set(host, slot + delayMs);
  if (slot > now) await sleep(slot - now, undefined, { signal });
}

/** Seconds or an HTTP date, as milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** An attempt's outcome that may be worth another try. */
class RetryableFailure extends Error {
  constructor(
    message: string,
    readonly failure: RequestFailure,
    readonly status?: number,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/**
 * GETs from arXiv politely: one request per `delayMs` per host, a User-Agent with a contact,
 * 503/429 + Retry-After honoured, network errors and 5xx retried with exponential backoff,
 * and both a whole-request timeout and a body-stall timeout so a hung server cannot hang us.
 * Answers below 500 are returned as they are; the caller reads them.
 */
export class ArxivClient {
  constructor(private readonly options: ArxivClientOptions) {}

  async get(url: string): Promise<ArxivResponse> {
    const response = await this.fetch(url, XML_ANSWERS);
    return { ...response, body: response.body.toString('utf8') };
  }

  /** GETs a binary file (a PDF) as bytes, as politely; a body over `maxBytes` fails with 'too-large', unretried. */
  getBytes(url: string, limits: BodyLimits): Promise<ArxivBinaryResponse> {
    return this.fetch(url, limits);
  }

  private async fetch(url: string, limits: BodyLimits): Promise<ArxivBinaryResponse> {
    const { retries, backoffMs, maxRetryAfterMs, logger, signal } = this.options;
    const host = new URL(url).host;
    for (let attempt = 0; ; attempt++) {
      try {
        await waitForTurn(host, this.options.delayMs, signal);
        return await this.attempt(url, limits);
      } catch (error) {
        if (signal?.aborted) throw new ArxivRequestError('request aborted', url, 'aborted');
        if (!(error instanceof RetryableFailure)) throw error;
        if (error.retryAfterMs !== null && error.retryAfterMs > maxRetryAfterMs) {
          throw new ArxivRequestError(
            `${error.message}; Retry-After of ${error.retryAfterMs} ms exceeds the ${maxRetryAfterMs} ms limit`,
            url,
            'retry-after',
            error.status,
          );
        }
        if (attempt >= retries) {
          throw new ArxivRequestError(
            `${error.message}; gave up after ${attempt + 1} attempts`,
            url,
            error.failure,
            error.status,
          );
        }
        const waitMs = error.retryAfterMs ?? backoffMs * 2 ** attempt;
        logger.warn(
          { url, attempt: attempt + 1, failure: error.failure, status: error.status, waitMs, reason: error.message },
          'arXiv request failed; retrying',
        );
        try {
          await sleep(waitMs, undefined, { signal });
        } catch {
          throw new ArxivRequestError('request aborted', url, 'aborted');
        }
      }
    }
  }

  private attempt(url: string, { accept, maxBytes }: BodyLimits): Promise<ArxivBinaryResponse> {
    const { userAgent, timeoutMs, stallMs, signal } = this.options;
    const transport = url.startsWith('https:') ? https : http;
    const tooLarge = (status: number) =>
      new ArxivRequestError(`answer larger than ${maxBytes} bytes`, url, 'too-large', status);
    return new Promise<ArxivBinaryResponse>((resolve, reject) => {
      let settled = false;
      let stallTimer: NodeJS.Timeout | undefined;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(totalTimer);
        clearTimeout(stallTimer);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const fail = (error: Error) => {
        finish(() => reject(error));
        request.destroy();
      };
      const onAbort = () => fail(new ArxivRequestError('request aborted', url, 'aborted'));
      const totalTimer = setTimeout(
        () => fail(new RetryableFailure(`no complete answer within ${timeoutMs} ms`, 'timeout')),
        timeoutMs,
      );

      const request = transport.get(url, {
        headers: {
          'user-agent': userAgent,
          'accept-encoding': 'gzip',
          accept,
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      request.on('error', (error) => fail(new RetryableFailure(`network error: ${error.message}`, 'network')));
      request.on('response', (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        if (status >= 500 || status === 429) {
          response.resume();
          const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
          fail(new RetryableFailure(`HTTP ${status}`, 'status', status, retryAfterMs));
          return;
        }
        if (Number(response.headers['content-length'] ?? 0) > maxBytes) {
          fail(tooLarge(status));
          return;
        }
        const armStall = () => {
          clearTimeout(stallTimer);
          stallTimer = setTimeout(
            () => fail(new RetryableFailure(`body stalled: no data for ${stallMs} ms`, 'stall')),
            stallMs,
          );
        };
        armStall();
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            fail(tooLarge(status));
            return;
          }
          chunks.push(chunk);
          armStall();
        });
        response.on('error', (error) =>
          fail(new RetryableFailure(`connection broke mid-body: ${error.message}`, 'network')),
        );
        response.on('close', () => {
          if (!response.complete)
            fail(new RetryableFailure(`connection closed mid-body after ${size} bytes`, 'network'));
        });
        response.on('end', () => {
          clearTimeout(stallTimer);
          const raw = Buffer.concat(chunks);
          const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
          const decoded = encoding === 'gzip' ? gunzipAsync(raw, { maxOutputLength: maxBytes }) : Promise.resolve(raw);
          decoded.then(
            (body) =>
              finish(() => resolve({ url, status, contentType: String(response.headers['content-type'] ?? ''), body })),
            (error: Error & { code?: string }) =>
              fail(
                error.code === 'ERR_BUFFER_TOO_LARGE'
                  ? tooLarge(status)
                  : new RetryableFailure(`undecodable gzip body: ${error.message}`, 'network'),
              ),
          );
        });
      });
    });
  }
}
