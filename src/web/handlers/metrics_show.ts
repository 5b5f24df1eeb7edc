import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { HttpError } from '../../errors.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics: this process's Prometheus metrics. With METRICS_TOKEN set, only for a request that
 * brings it as a Bearer token (compared in constant time); otherwise open, for a scraper on a
 * private network.
 */
export function metricsShow({ config, metrics }: AppContext) {
  const expected = config.METRICS_TOKEN === undefined ? null : digest(config.METRICS_TOKEN);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (expected) {
      const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]?.trim();
      if (!given || !timingSafeEqual(digest(given), expected)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new HttpError(401, 'Metrics need the METRICS_TOKEN as a Bearer token.');
      }
    }
    reply.header('cache-control', 'no-store').type(metrics.contentType);
    return metrics.text();
  };
}
