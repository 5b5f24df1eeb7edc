import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { metricsAuthorization } from '../../http/metrics-server.js';
import { HttpError } from '../../errors.js';

/**
 * GET /metrics: this process's Prometheus metrics. With METRICS_TOKEN set, only for a request that
 * brings it as a Bearer token (compared in constant time); otherwise open, for a scraper on a
 * private network.
 */
export function metricsShow({ config, metrics }: AppContext) {
  const authorized = metricsAuthorization(config.METRICS_TOKEN);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!authorized(request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      throw new HttpError(401, 'Metrics need the METRICS_TOKEN as a Bearer token.');
    }
    reply.header('cache-control', 'no-store').type(metrics.contentType);
    return metrics.text();
  };
}
