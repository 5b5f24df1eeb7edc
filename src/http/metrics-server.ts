import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Metrics } from '../metrics.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether an Authorization header may read the metrics: any, without METRICS_TOKEN (a scraper on a
 * private network); otherwise only `Bearer METRICS_TOKEN`, compared in constant time.
 */
export function metricsAuthorization(token: string | undefined): (authorization: string | undefined) => boolean {
  const expected = token === undefined ? null : digest(token);
  return (authorization) => {
    if (!expected) return true;
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1]?.trim();
    return given !== undefined && timingSafeEqual(digest(given), expected);
  };
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * GET /metrics and GET /healthz on a port of their own (METRICS_PORT), a plain node:http server, so
 * a process without the web service (a worker, a scheduler) can be scraped and checked too. Nothing
 * else is served there.
 */
export async function startMetricsServer(
  { config, metrics, logger }: { config: Pick<Config, 'METRICS_TOKEN'>; metrics: Metrics; logger: Logger },
  port: number,
  host: string,
): Promise<MetricsServer> {
  const authorized = metricsAuthorization(config.METRICS_TOKEN);
  const server = createServer((request, response) => {
    const answer = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' && path !== '/healthz') return answer(404, 'text/plain; charset=utf-8', 'Not found.\n');
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return answer(405, 'text/plain; charset=utf-8', 'Only GET.\n', { allow: 'GET, HEAD' });
    if (path === '/healthz') return answer(200, 'application/json; charset=utf-8', '{"ok":true}');
    if (!authorized(request.headers.authorization))
      return answer(401, 'text/plain; charset=utf-8', 'Metrics need the METRICS_TOKEN as a Bearer token.\n', {
        'www-authenticate': 'Bearer realm="metrics"',
      });
    metrics.text().then(
      (text) => answer(200, metrics.contentType, text),
      (error: unknown) => {
        logger.warn({ err: error }, 'could not read the metrics');
        answer(503, 'text/plain; charset=utf-8', 'Metrics are unavailable for a moment.\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
