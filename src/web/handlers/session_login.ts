import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { logIn, startSession } from '../../community/accounts.js';
import { bodyField } from '../../http/request-text.js';
import { csrfTokenFor, setSessionCookie } from '../../http/cookies.js';
import { sendLayoutPage } from '../layout-page.js';
import { safeNextPath } from '../../community/next-path.js';
import { enforceRateLimit } from '../../community/rate-limit.js';
import { loginForm } from '../templates/account.js';
import { redirectTo } from '../../http/reply.js';
import { HttpError } from '../../errors.js';

/** The login form. */
export async function sessionLoginForm(
  request: FastifyRequest<{ Querystring: { next?: string } }>,
  reply: FastifyReply,
) {
  const next = safeNextPath(request.query.next);
  return sendLayoutPage(request, reply, {
    title: 'Log in',
    body: loginForm({ csrfToken: csrfTokenFor(request, reply), next }),
  });
}

/** Logs in with email and password and starts a session. */
export function sessionLogin(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const email = bodyField(request, 'email') ?? '';
    const next = safeNextPath(bodyField(request, 'next'));
    try {
      // Per IP only: failures per account slow down (logIn) instead of locking the owner out.
      await enforceRateLimit(ctx, 'login', { account: null, ip: request.ip });
      const user = await logIn(ctx.db, email, bodyField(request, 'password') ?? '', request.ip);
      const session = await startSession(ctx.db, ctx.config, user.id);
      setSessionCookie(request, reply, session.token, session.expiresAt);
      return redirectTo(reply, next);
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode === 429) throw error;
      const body = loginForm({ csrfToken: csrfTokenFor(request, reply), error: error.message, email, next });
      return sendLayoutPage(request, reply, { title: 'Log in', body }, error.statusCode);
    }
  };
}
