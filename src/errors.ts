import { STATUS_CODES } from 'node:http';

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
