import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { databaseUnavailable } from '../db/unavailable.js';
import { errorPage } from './templates/error.js';
import { HttpError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers in JSON, refusals included, wherever its URL lives (an API route such as /papers/{id}.md). */
    answersJson?: boolean;
  }
}

/** JSON routes get `{error}`; everything else gets an HTML page. */
function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/api' || request.routeOptions.config.answersJson === true;
}

function sendError(request: FastifyRequest, reply: FastifyReply, status: number, message: string, details?: Record<string, unknown>): FastifyReply {
  reply.code(status).header('cache-control', 'no-store');
  if (wantsJson(request)) return reply.type('application/json; charset=utf-8').send({ error: message, ...details });
  return reply.type('text/html; charset=utf-8').send(errorPage(status, message).value);
}

/**
 * Unmatched URLs and thrown errors answer with a readable page (or JSON under /api): a client
 * error shows its message, anything else is logged and shown without details, never a stack.
 */
export function installErrorPages(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!.slice(0, 200);
    return sendError(request, reply, 404, `Nothing lives at ${path}.`);
  });
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const status = error.statusCode ?? 500;
    // A rate limit says when to come back, wherever it was hit.
    const retryAfter = error instanceof HttpError ? error.retryAfterSeconds : undefined;
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    if (error instanceof HttpError) return sendError(request, reply, status, error.message, error.details);
    if (status >= 400 && status < 500) return sendError(request, reply, status, error.message);
    const unavailable = databaseUnavailable(error);
    if (unavailable) {
      request.log.warn({ err: error, url: request.url }, 'database unavailable');
      reply.header('retry-after', String(unavailable.retryAfterSeconds));
      return sendError(request, reply, 503, unavailable.message);
    }
    request.log.error({ err: error, url: request.url }, 'request failed');
    return sendError(request, reply, 500, 'The server could not complete this request. Please try again later.');
  });
}
