import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { confirmEmailChange, requestEmailChange } from '../../community/accounts.js';
import { sendEmailChangeMails } from '../../community/mail.js';
import { HttpError } from '../../errors.js';
import { requireUser } from '../../http/auth.js';
import { csrfTokenFor } from '../../http/cookies.js';
import { bodyField } from '../../http/request-text.js';
import { sendLayoutPage } from '../layout-page.js';
import { emailChangeConfirm, emailChanged } from '../templates/account.js';
import { renderAccount } from './account_show.js';

/** POST /account/email (email, password): mails a confirmation link to the new address and a notice to the old. */
export function accountEmailChange(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'change your email address');
    try {
      const change = await requestEmailChange(
        ctx.db,
        ctx.config,
        { userId: user.id, sessionHash: request.auth?.sessionHash ?? null },
        { email: bodyField(request, 'email') ?? '', password: bodyField(request, 'password') ?? '' },
      );
      await sendEmailChangeMails(ctx, change);
      return await renderAccount(ctx, request, reply, {
        notice: `We mailed a link to ${change.newEmail}; your address changes when it is followed.`,
      });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return renderAccount(ctx, request, reply, { error: error.message }, error.statusCode);
    }
  };
}

/** GET /account/email/confirm?token=: asks for a click; nothing changes until it is posted. */
export function accountEmailConfirmShow() {
  return async (request: FastifyRequest<{ Querystring: { token?: string } }>, reply: FastifyReply) => {
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    const body = emailChangeConfirm({ csrfToken: csrfTokenFor(request, reply), token });
    return sendLayoutPage(request, reply.header('referrer-policy', 'no-referrer'), { title: 'Confirm address', body });
  };
}

/** POST /account/email/confirm (token): spends the link and moves the account to its new address. */
export function accountEmailConfirm(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { userId, newEmail } = await confirmEmailChange(ctx.db, bodyField(request, 'token') ?? '');
    ctx.credentials.forgetAccount(userId);
    return sendLayoutPage(request, reply, { title: 'Address changed', body: emailChanged(newEmail) });
  };
}
