import { STATUS_CODES } from 'node:http';
import type { z } from 'zod';

/** What an HttpError may carry besides its status and message. */
export interface HttpErrorOptions {
  /** A stable machine name (`not_found`); by default the status's reason phrase in snake case. */
  code?: string;
  /** Fields added to the JSON answer beside `error` (e.g. a vote's current state). */
  details?: Record<string, unknown>;
  /** Sent as Retry-After: when a rate limit or an outage ends. */
  retryAfterSeconds?: number;
}

/**
 * A failure the client caused or can act on (a malformed request, an unknown paper, a rate limit):
 * the status to answer with and a message the reader sees as it is. Domain code throws it before
 * changing anything, so a refused request leaves no trace. `statusCode`, as on Fastify's own errors,
 * so the one error handler reads both alike.
 */
export class HttpError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly statusCode: number,
    message: string,
    options: HttpErrorOptions = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.code = options.code ?? (STATUS_CODES[statusCode] ?? 'error').toLowerCase().replace(/\W+/g, '_');
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** One thing wrong with a request: where (`limit`, `topics.0`; empty for the request as a whole) and what. */
interface Problem {
  path: string;
  message: string;
}

/** Every problem zod found, once each, in the order found. */
function problemsOf(error: z.ZodError): Problem[] {
  const problems = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  return problems.filter((p, i) => problems.findIndex((q) => q.path === p.path && q.message === p.message) === i);
}

/** Every problem in one line, each prefixed by the parameter or field it concerns. */
export function describeIssues(error: z.ZodError): string {
  return problemsOf(error)
    .map(({ path, message }) => (path ? `${path}: ${message}` : message))
    .join('; ');
}

/**
 * The 400 for a request that fails its schemas: `{error}` naming every problem in one line and,
 * where there are several, `problems` listing each (path and message) for programs to read.
 */
export function invalidRequest(error: z.ZodError): HttpError {
  const problems = problemsOf(error);
  return new HttpError(400, describeIssues(error), {
    code: 'invalid_request',
    details: problems.length > 1 ? { problems } : undefined,
  });
}

/**
 * The 400 for input a domain function refuses (a form, a command's options): every problem, as the
 * sentences its schema words them, shown to the reader as they are; listed too when there are several.
 */
export function invalidInput(error: z.ZodError): HttpError {
  const problems = problemsOf(error);
  const sentences = [...new Set(problems.map((problem) => problem.message))].join(' ');
  return new HttpError(400, sentences || 'The form is incomplete.', {
    code: 'invalid_input',
    details: problems.length > 1 ? { problems } : undefined,
  });
}
