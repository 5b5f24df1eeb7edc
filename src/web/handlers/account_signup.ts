import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { requestSignUp } from '../../community/accounts.js';
import { bodyField } from '../../http/request-text.js';
import { csrfTokenFor } from '../../http/cookies.js';
import { sendLayoutPage } from '../layout-page.js';
import { sendLoginLink } from '../../community/mail.js';
import { safeNextPath } from '../../community/next-path.js';
import { enforceRateLimit } from '../../community/rate-limit.js';
import { signupForm, signupSent } from '../templates/account.js';
import { HttpError } from '../../errors.js';

/** The sign-up form. */
export function accountSignupForm(ctx: AppContext) {
  const newAccountDelayMinutes = ctx.config.NEW_ACCOUNT_DELAY_MINUTES;
  return async (request: FastifyRequest<{ Querystring: { next?: string } }>, reply: FastifyReply) => {
    const next = safeNextPath(request.query.next);
    const body = signupForm({ csrfToken: csrfTokenFor(request, reply), next, newAccountDelayMinutes });
    return sendLayoutPage(request, reply, { title: 'Sign up', body });
  };
}

/** Creates an account with email, username and password; a mailed link logs it in. */
export function accountSignup(ctx: AppContext) {
  const newAccountDelayMinutes = ctx.config.NEW_ACCOUNT_DELAY_MINUTES;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const [email, username, password] = ['email', 'username', 'password'].map((f) => bodyField(request, f));
    const next = safeNextPath(bodyField(request, 'next'));
    try {
      await enforceRateLimit(ctx, 'signup', { account: email?.trim().toLowerCase() ?? null, ip: request.ip });
      const link = await requestSignUp(ctx.db, ctx.config, { email, username, password });
      // Not awaited, as for login links: waiting for the mail server in one case only would show in the time taken.
      if (link) {
        const kind = link.account === 'created' ? 'signup' : 'existing';
        sendLoginLink(ctx, link.user.email, link.url, kind).catch((err) =>
          request.log.error({ err }, 'sign-up link not sent'),
        );
      }
      const body = signupSent({ email: (email ?? '').trim(), minutes: ctx.config.LOGIN_LINK_TTL_MINUTES });
      return sendLayoutPage(request, reply, { title: 'Check your email', body });
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode === 429) throw error;
      const csrfToken = csrfTokenFor(request, reply);
      const body = signupForm({ csrfToken, error: error.message, email, username, next, newAccountDelayMinutes });
      return sendLayoutPage(request, reply, { title: 'Sign up', body }, error.statusCode);
    }
  };
}
