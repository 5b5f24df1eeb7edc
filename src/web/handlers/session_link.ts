import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { issueLoginLink, loginLinkRefusal, redeemLoginLink, startSession } from '../../community/accounts.js';
import { bodyField } from '../../http/request-text.js';
import { csrfTokenFor, setSessionCookie } from '../../http/cookies.js';
import { sendLayoutPage } from '../layout-page.js';
import { sendLoginLink } from '../../community/mail.js';
import { enforceRateLimit } from '../../community/rate-limit.js';
import { hashToken } from '../../community/tokens.js';
import { peekLoginLink } from '../../store/sessions.js';
import { getUser } from '../../store/users.js';
import { loginForm, loginLinkConfirm, welcomePage } from '../templates/account.js';
import { redirectTo } from '../../http/reply.js';
import { HttpError } from '../../errors.js';

/*
 * One-time login links by email. Opening the link shows a confirmation button and only the POST
 * spends it: mail scanners that prefetch links would otherwise use up the link before the person.
 */

/** Mails a login link to the address, if an account uses it (the answer is the same either way). */
export function sessionLinkSend(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const email = bodyField(request, 'email') ?? '';
    try {
      await enforceRateLimit(ctx, 'login', { account: email.trim().toLowerCase(), ip: request.ip });
      const issued = await issueLoginLink(ctx.db, ctx.config, email);
      // Not awaited: waiting for the mail server for accounts only would tell them apart by the time taken.
      if (issued) {
        sendLoginLink(ctx, issued.user.email, issued.url).catch((err) =>
          request.log.error({ err }, 'login link not sent'),
        );
      }
      const within = `It works once, within ${ctx.config.LOGIN_LINK_TTL_MINUTES} minutes.`;
      const notice = `If an account uses ${email.trim()}, we sent it a login link. ${within}`;
      return sendLayoutPage(request, reply, {
        title: 'Check your email',
        body: loginForm({ csrfToken: csrfTokenFor(request, reply), notice, email, next: '/' }),
      });
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode === 429) throw error;
      const body = loginForm({ csrfToken: csrfTokenFor(request, reply), error: error.message, email, next: '/' });
      return sendLayoutPage(request, reply, { title: 'Log in', body }, error.statusCode);
    }
  };
}

/** The page a mailed link opens: a button that logs in. */
export function sessionLinkShow(ctx: AppContext) {
  return async (request: FastifyRequest<{ Querystring: { token?: string } }>, reply: FastifyReply) => {
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    const outcome = await peekLoginLink(ctx.db, hashToken(token));
    if (!outcome.ok) throw loginLinkRefusal(outcome.reason);
    const user = await getUser(ctx.db, outcome.userId);
    const body = loginLinkConfirm({ csrfToken: csrfTokenFor(request, reply), token, username: user?.username ?? '' });
    return sendLayoutPage(request, reply.header('referrer-policy', 'no-referrer'), { title: 'Log in', body });
  };
}

/** Spends the link and starts a session. */
export function sessionLinkRedeem(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { userId, signedUp } = await redeemLoginLink(ctx.db, bodyField(request, 'token') ?? '');
    const session = await startSession(ctx.db, ctx.config, userId);
    setSessionCookie(request, reply, session.token, session.expiresAt);
    return redirectTo(reply, signedUp ? '/welcome' : '/');
  };
}

/** GET /welcome: where a new member lands after following their sign-up link. */
export function sessionWelcome(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.auth) return redirectTo(reply, '/');
    const body = welcomePage({
      username: request.auth.user.username,
      newAccountDelayMinutes: ctx.config.NEW_ACCOUNT_DELAY_MINUTES,
    });
    return sendLayoutPage(request, reply, { title: 'Welcome', body });
  };
}
