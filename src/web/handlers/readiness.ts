import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { databaseUnavailable } from '../../db/unavailable.js';
import { schemaStatus } from '../../db/migrations/index.js';
import { recordHealthCheck } from '../../store/health.js';

/**
 * GET /readyz: ready when a write commits and the schema is the one this code expects (a load balancer
 * stops sending traffic otherwise), so a database that is away, locked, out of disk or migrated by a
 * newer or older release shows here, with the reason; /healthz only says the process answers.
 */
export function readiness({ db }: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('cache-control', 'no-store');
    try {
      await recordHealthCheck(db);
      const schema = await schemaStatus(db);
      if (schema.pending.length > 0 || schema.current > schema.latest) {
        reply.code(503).header('retry-after', '30');
        const reason = `The database schema is at version ${schema.current}; this release needs ${schema.latest}.`;
        return { ok: false, reason };
      }
      return { ok: true };
    } catch (error) {
      const unavailable = databaseUnavailable(error);
      request.log.warn({ err: error }, 'not ready: a write failed');
      reply.code(503).header('retry-after', String(unavailable?.retryAfterSeconds ?? 5));
      return { ok: false, reason: unavailable?.message ?? 'A write to the database failed.' };
    }
  };
}
