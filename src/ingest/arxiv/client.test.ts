import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import {
  fixture,
  OAI_FIXTURES,
  startArxivServer,
  type ArxivReply,
  type ArxivServer,
} from '../../../test/helpers/arxiv-server.js';
import { captureLogs } from '../../../test/helpers/logs.js';
import { ArxivClient, ArxivRequestError, clientOptionsFrom, parseRetryAfter } from './client.js';

const page1 = fixture(`${OAI_FIXTURES}/list-page1.xml`);

describe('ArxivClient over HTTP', () => {
  let server: ArxivServer;
  afterEach(async () => server.close());

  /** A client with fast test timings; `env` overrides any setting. */
  function clientFor(env: Record<string, string> = {}, signal?: AbortSignal) {
    const logs = captureLogs();
    const config = loadConfig({
      ARXIV_DELAY_MS: '0',
      ARXIV_BACKOFF_MS: '20',
      ARXIV_RETRIES: '2',
      ARXIV_TIMEOUT_MS: '2000',
      ARXIV_STALL_MS: '1000',
      MAIL_FROM: 'Papers <papers@lab.example>',
      ...env,
    });
    return { client: new ArxivClient(clientOptionsFrom(config, logs.logger, signal)), logs };
  }

  /** Serves the scripted replies in order, then the last one again. */
  const inTurn = (...replies: ArxivReply[]) => {
    let n = 0;
    return () => replies[Math.min(n++, replies.length - 1)]!;
  };

  it('identifies itself with a contact address and spaces requests to one host', async () => {
    server = await startArxivServer(() => ({ body: page1 }));
    const { client } = clientFor({ ARXIV_DELAY_MS: '200' });
    const started = Date.now();
    await Promise.all([client.get(server.oaiUrl), client.get(server.oaiUrl), client.get(server.oaiUrl)]);
    expect(server.requests[0]!.headers['user-agent']).toMatch(
      /^dailypapers \(\+http:\/\/localhost:3000; mailto:papers@lab\.example\)$/,
    );
    // The n-th request may not start before n slots of 200 ms have passed (a busy machine only delays it further).
    expect(server.requests[1]!.at - started).toBeGreaterThanOrEqual(198);
    expect(server.requests[2]!.at - started).toBeGreaterThanOrEqual(398);
  });

  it('waits as long as a 503 Retry-After asks, then succeeds', async () => {
    server = await startArxivServer(
      inTurn({ status: 503, headers: { 'retry-after': '1' }, body: 'busy' }, { body: page1 }),
    );
    const { client, logs } = clientFor();
    const response = await client.get(server.oaiUrl);
    expect(response).toMatchObject({ status: 200, body: page1 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(logs.atLeast(40)).toMatchObject([
      { msg: 'arXiv request failed; retrying', status: 503, waitMs: 1000, url: server.oaiUrl },
    ]);
  });

  it('refuses a Retry-After longer than allowed instead of hanging', async () => {
    server = await startArxivServer(() => ({
      status: 503,
      headers: { 'retry-after': '3600' },
      body: 'come back in an hour',
    }));
    const { client } = clientFor({ ARXIV_MAX_RETRY_AFTER_MS: '60000' });
    await expect(client.get(server.oaiUrl)).rejects.toMatchObject({ failure: 'retry-after', status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx with exponential backoff, then gives up naming the status and URL', async () => {
    server = await startArxivServer(() => ({ status: 502, body: 'bad gateway' }));
    const { client, logs } = clientFor({ ARXIV_RETRIES: '3', ARXIV_BACKOFF_MS: '40' });
    const error = await client.get(server.oaiUrl).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArxivRequestError);
    expect(error).toMatchObject({ failure: 'status', status: 502, url: server.oaiUrl });
    expect((error as Error).message).toContain('HTTP 502; gave up after 4 attempts');
    expect(server.requests).toHaveLength(4);
    expect(logs.atLeast(40).map((e) => e.waitMs)).toEqual([40, 80, 160]);
    const gaps = server.requests.slice(1).map((r, i) => r.at - server.requests[i]!.at);
    expect(gaps[2]!).toBeGreaterThanOrEqual(150);
  });

  it('returns 4xx answers to the caller without retrying', async () => {
    server = await startArxivServer(() => ({ status: 404, body: 'no such page' }));
    const { client } = clientFor();
    expect(await client.get(server.oaiUrl)).toMatchObject({ status: 404, body: 'no such page' });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a connection reset mid-body and succeeds on the next attempt', async () => {
    server = await startArxivServer(inTurn({ resetAfter: 500, body: page1 }, { body: page1 }));
    const { client, logs } = clientFor();
    expect((await client.get(server.oaiUrl)).body).toBe(page1);
    expect(logs.atLeast(40)[0]).toMatchObject({ failure: 'network', url: server.oaiUrl });
  });

  it('gives up on connections that keep resetting mid-body', async () => {
    server = await startArxivServer(() => ({ resetAfter: 500, body: page1 }));
    const { client } = clientFor({ ARXIV_RETRIES: '1' });
    await expect(client.get(server.oaiUrl)).rejects.toMatchObject({
      failure: 'network',
      message: expect.stringMatching(/mid-body|socket hang up|ECONNRESET/),
    });
    expect(server.requests).toHaveLength(2);
  });

  it('cuts off a response that never ends at the request timeout', async () => {
    server = await startArxivServer(() => ({ trickleEveryMs: 20 }));
    const { client } = clientFor({ ARXIV_TIMEOUT_MS: '300', ARXIV_RETRIES: '1' });
    const started = Date.now();
    await expect(client.get(server.oaiUrl)).rejects.toMatchObject({
      failure: 'timeout',
      message: expect.stringContaining('no complete answer within 300 ms'),
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(2);
  });

  it('cuts off a body that stalls', async () => {
    server = await startArxivServer(() => ({ stallAfter: 400, body: page1 }));
    const { client } = clientFor({ ARXIV_STALL_MS: '200', ARXIV_RETRIES: '0' });
    await expect(client.get(server.oaiUrl)).rejects.toMatchObject({
      failure: 'stall',
      message: expect.stringContaining('no data for 200 ms'),
    });
  });

  it('decodes gzip bodies', async () => {
    server = await startArxivServer(() => ({ body: gzipSync(page1), headers: { 'content-encoding': 'gzip' } }));
    const { client } = clientFor();
    expect((await client.get(server.oaiUrl)).body).toBe(page1);
    expect(server.requests[0]!.headers['accept-encoding']).toBe('gzip');
  });

  it('stops at once when aborted, also while waiting to retry', async () => {
    server = await startArxivServer(() => ({ status: 503, headers: { 'retry-after': '30' }, body: 'busy' }));
    const abort = new AbortController();
    const { client } = clientFor({}, abort.signal);
    const started = Date.now();
    setTimeout(() => abort.abort(), 100);
    await expect(client.get(server.oaiUrl)).rejects.toMatchObject({ failure: 'aborted' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails clearly when nothing listens', async () => {
    server = await startArxivServer(() => ({ body: '' }));
    const url = server.oaiUrl;
    await server.close();
    const { client } = clientFor({ ARXIV_RETRIES: '1' });
    await expect(client.get(url)).rejects.toMatchObject({
      failure: 'network',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
});
