/**
 * A refusal the user should see as it is: the HTTP status to answer with and a readable message.
 * Domain functions throw it before changing anything, so a refused request leaves no trace.
 */
export class CommunityError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extra: { retryAfterSeconds?: number; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'CommunityError';
  }
}
