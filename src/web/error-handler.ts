import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bodyField } from '../http/request-text.js';
import { viewerOf } from '../http/auth.js';
import { safeNextPath } from '../community/next-path.js';
import { databaseUnavailable } from '../db/unavailable.js';
import { HttpError } from '../errors.js';
import { errorPage } from './templates/error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers in JSON, refusals included, wherever its URL lives (an API route such as /papers/{id}.md). */
    answersJson?: boolean;
  }
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0]!;
}

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/**
 * Whether the client gets JSON rather than a page: API URLs and routes, and fetch() calls that ask
 * for JSON (the page's vote buttons). A browser asks for text/html, so a form post gets the page.
 */
export function wantsJson(request: FastifyRequest): boolean {
  if (isApiPath(pathOf(request)) || request.routeOptions.config.answersJson === true) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** Answers a refusal: `{error, ...details}` to JSON clients, the error page to browsers; Retry-After when it says when to come back. */
function sendError(request: FastifyRequest, reply: FastifyReply, error: HttpError): FastifyReply {
  reply.code(error.statusCode).header('cache-control', 'no-store');
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  if (wantsJson(request))
    return reply.type('application/json; charset=utf-8').send({ error: error.message, ...error.details });
  const page = errorPage(error.statusCode, error.message, {
    viewer: viewerOf(request),
    csrfToken: request.auth?.csrfToken ?? null,
    // Where a login should lead back to: the page asked for, or home after a refused form.
    loginNext: request.method === 'GET' ? request.url : '/',
    // A form that says where it came from (the vote buttons) gets a way straight back there.
    returnTo: request.method === 'GET' ? undefined : safeReturnTo(request),
  });
  return reply.type('text/html; charset=utf-8').send(page.value);
}

function safeReturnTo(request: FastifyRequest): string | undefined {
  const returnTo = bodyField(request, 'return_to');
  return returnTo ? safeNextPath(returnTo) : undefined;
}

/** What to answer for anything thrown: its own status and message when the client can act on it, else a 503 or a 500. */
function httpErrorOf(error: FastifyError | HttpError, request: FastifyRequest): HttpError {
  if (error instanceof HttpError) return error;
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new HttpError(status, error.message);
  const unavailable = databaseUnavailable(error);
  if (unavailable) {
    request.log.warn({ err: error, url: request.url }, 'database unavailable');
    return new HttpError(503, unavailable.message, { retryAfterSeconds: unavailable.retryAfterSeconds });
  }
  request.log.error({ err: error, url: request.url }, 'request failed');
  return new HttpError(500, 'The server could not complete this request. Please try again later.');
}

/**
 * The one error handler: unmatched URLs, refusals thrown by routes and hooks, and failures. A client
 * error shows its message; anything else is logged and shown without details, never a stack.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request) => {
    const path = pathOf(request).slice(0, 200);
    // A programmer reading an API answer learns which method and path matched nothing.
    throw new HttpError(404, isApiPath(path) ? `no API route ${request.method} ${path}` : `Nothing lives at ${path}.`);
  });
  app.setErrorHandler((error: FastifyError | HttpError, request, reply) =>
    sendError(request, reply, httpErrorOf(error, request)),
  );
}
