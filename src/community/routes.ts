import type { FastifyError } from 'fastify';
import { databaseUnavailable } from '../db/unavailable.js';
import type { RouteModule } from '../web/app.js';
import { accountShow } from '../web/handlers/account_show.js';
import { accountSignup } from '../web/handlers/account_signup.js';
import { commentWrite } from '../web/handlers/comment_write.js';
import { moderation } from '../web/handlers/moderation.js';
import { paperSubmit } from '../web/handlers/paper_submit.js';
import { paperVote } from '../web/handlers/paper_vote.js';
import { papersTrending } from '../web/handlers/papers_trending.js';
import { sessionLink } from '../web/handlers/session_link.js';
import { sessionLogin } from '../web/handlers/session_login.js';
import { sessionLogout } from '../web/handlers/session_logout.js';
import { sendRefusal } from './http.js';
import { HttpError } from '../errors.js';

const pages = [accountSignup, sessionLogin, sessionLink, sessionLogout, accountShow, paperSubmit, paperVote, commentWrite, moderation, papersTrending];

/**
 * Accounts, submissions, votes, comments, moderation and trending, as pages and JSON. Their own
 * error handler turns refusals into a readable page or `{error}` (with Retry-After on 429s).
 */
export const communityRoutes: RouteModule = async (app, ctx) => {
  await app.register(async (scope) => {
    scope.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
      if (error instanceof HttpError) return sendRefusal(request, reply, error);
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return sendRefusal(request, reply, new HttpError(status, error.message));
      const unavailable = databaseUnavailable(error);
      if (unavailable) {
        request.log.warn({ err: error, url: request.url }, 'database unavailable');
        const { message, retryAfterSeconds } = unavailable;
        return sendRefusal(request, reply, new HttpError(503, message, { retryAfterSeconds }));
      }
      request.log.error({ err: error, url: request.url }, 'request failed');
      return sendRefusal(request, reply, new HttpError(500, 'The server could not complete this request. Please try again later.'));
    });
    for (const register of pages) await register(scope, ctx);
  });
};
