import { changePassword, issueApiToken } from '../../community/accounts.js';
import { bodyField } from '../../http/request-text.js';
import { requireUser } from '../../http/auth.js';
import { sendLayoutPage } from '../layout-page.js';
import { getUser, listApiTokens, revokeApiToken } from '../../store/users.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { accountDeleted, accountPage } from '../templates/account.js';
import { deleteAccount } from '../../community/account-deletion.js';
import { clearSessionCookie, csrfTokenFor } from '../../http/cookies.js';
import { hashToken, newToken } from '../../community/tokens.js';
import { personalFeedPath } from '../../feeds/personal.js';
import { personalFeedSince, revokePersonalFeed, setPersonalFeed } from '../../store/personal-feeds.js';
import { redirectTo } from '../../http/reply.js';
import { getSubscriberByEmail, updateSubscription } from '../../store/subscriptions.js';
import { HttpError } from '../../errors.js';

/** Renders /account, with what the last action showed or refused. */
export async function renderAccount(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  extra: {
    newToken?: string;
    error?: string;
    notice?: string;
    deletionError?: string;
    newFeedUrls?: { rss: string; atom: string };
  } = {},
  status = 200,
) {
  const user = (await getUser(ctx.db, requireUser(request, 'see your account').id))!;
  const { newFeedUrls, ...rest } = extra;
  const body = accountPage({
    user,
    tokens: await listApiTokens(ctx.db, user.id),
    csrfToken: csrfTokenFor(request, reply),
    personalFeed: { since: await personalFeedSince(ctx.db, user.id), newUrls: newFeedUrls },
    digest: await getSubscriberByEmail(ctx.db, user.email),
    ...rest,
  });
  return sendLayoutPage(request, reply, { title: 'Your account', body }, status);
}

/** The account page: who you are and your API tokens (visitors are sent to log in first). */
export function accountShow(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.auth) return redirectTo(reply, '/login?next=%2Faccount');
    return renderAccount(ctx, request, reply);
  };
}

/** Creates an API token and shows it, once, on the account page. */
export function accountTokenCreate(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'create API tokens');
    try {
      const { token } = await issueApiToken(ctx.db, user.id, bodyField(request, 'name') ?? '');
      return await renderAccount(ctx, request, reply, { newToken: token }, 201);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return renderAccount(ctx, request, reply, { error: error.message }, error.statusCode);
    }
  };
}

/** Revokes one of your API tokens; this process forgets it at once. */
export function accountTokenRevoke(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const user = requireUser(request, 'revoke API tokens');
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id) || !(await revokeApiToken(ctx.db, user.id, id)))
      throw new HttpError(404, 'You have no such token.');
    ctx.credentials.forgetAccount(user.id);
    return redirectTo(reply, '/account');
  };
}

/** POST /account/password (current, password): a new password; every other session of the account ends. */
export function accountPasswordChange(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'change your password');
    try {
      const input = { current: bodyField(request, 'current') ?? '', next: bodyField(request, 'password') ?? '' };
      await changePassword(ctx.db, user.email, input, request.auth?.sessionHash ?? null);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return renderAccount(ctx, request, reply, { error: error.message }, error.statusCode);
    }
    ctx.credentials.forgetAccount(user.id);
    return renderAccount(ctx, request, reply, {
      notice: 'Your password is changed; your other sessions are logged out.',
    });
  };
}

/** Makes the member's private feed, or gives it a new URL (the old one stops at once); shows the URL once. */
export function accountFeedCreate(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'make a private feed');
    const token = newToken();
    await setPersonalFeed(ctx.db, user.id, hashToken(token));
    const base = ctx.config.BASE_URL;
    const newFeedUrls = { rss: base + personalFeedPath(token, 'rss'), atom: base + personalFeedPath(token, 'atom') };
    return renderAccount(ctx, request, reply, { newFeedUrls }, 201);
  };
}

/** Turns the member's private feed off: its URL answers 404 from now on. */
export function accountFeedRevoke(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'turn off your private feed');
    await revokePersonalFeed(ctx.db, user.id);
    return redirectTo(reply, '/account#private-feed');
  };
}

/** POST /account/delete (password, confirm): deletes the account (community/account-deletion.ts) and ends this session. */
export function accountDelete(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'delete your account');
    try {
      const input = { password: bodyField(request, 'password') ?? '', confirm: bodyField(request, 'confirm') ?? '' };
      const username = await deleteAccount(
        ctx,
        { userId: user.id, sessionHash: request.auth?.sessionHash ?? null },
        input,
      );
      clearSessionCookie(reply);
      return await sendLayoutPage(request, reply, { title: 'Account deleted', body: accountDeleted(username) });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      return renderAccount(ctx, request, reply, { deletionError: error.message }, error.statusCode);
    }
  };
}

/** Turns the "For you" section of the digest to the member's own address on or off. */
export function accountDigestChange(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = (await getUser(ctx.db, requireUser(request, 'change your digest').id))!;
    const digest = await getSubscriberByEmail(ctx.db, user.email);
    if (!digest || !['active', 'pending'].includes(digest.status))
      return renderAccount(ctx, request, reply, { error: `No digest goes to ${user.email}; subscribe first.` }, 409);
    const forYou = bodyField(request, 'for_you') !== undefined;
    await updateSubscription(ctx.db, digest.id, { ...digest, forYou }, new Date());
    const notice = forYou ? 'Your digest has a “For you” section now.' : 'Your digest has no “For you” section now.';
    return renderAccount(ctx, request, reply, { notice });
  };
}
