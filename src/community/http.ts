import fastifyCookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { servedOverHttps } from '../config/index.js';
import { findSession } from '../store/sessions.js';
import { userForApiToken } from '../store/users.js';
import type { Role } from '../db/schema.js';
import type { RouteModule } from '../app/server.js';
import { sendPage } from '../http/reply.js';
import { layout, type LayoutOptions, type Viewer } from '../web/templates/layout.js';
import { hashToken, newToken, sameSecret } from './tokens.js';
import { HttpError } from '../errors.js';

/** The signed-in user of a request and how they proved it. */
export interface Auth {
  user: { id: string; email: string; username: string; role: Role; createdAt: string };
  via: 'session' | 'token';
  /** The session's CSRF token (sessions only). */
  csrfToken: string | null;
  /** The stored hash of the session cookie (sessions only), for logout. */
  sessionHash: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
  interface FastifyInstance {
    /** Whether BASE_URL is https (see servedOverHttps). */
    httpsSite: boolean;
  }
  interface FastifyContextConfig {
    /** false exempts a state-changing route from the CSRF check (e.g. one-click unsubscribe from a mail client). */
    csrf?: boolean;
  }
}

export const SESSION_COOKIE = 'dp_session';
/** Double-submit token for visitors without a session (login and sign-up forms). */
export const ANONYMOUS_CSRF_COOKIE = 'dp_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Cookies are Secure on an https site (BASE_URL), and on any request that came over https. */
function secureCookies(request: FastifyRequest): boolean {
  return request.server.httpsSite || request.protocol === 'https';
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(request), expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export function viewerOf(request: FastifyRequest): Viewer | null {
  const user = request.auth?.user;
  return user ? { id: user.id, displayName: user.username, role: user.role } : null;
}

/**
 * The CSRF token to embed in this page's forms: the session's own token, or for anonymous
 * visitors a random value also set as an HttpOnly cookie (double submit).
 */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  if (request.auth?.csrfToken) return request.auth.csrfToken;
  let token = request.cookies[ANONYMOUS_CSRF_COOKIE];
  if (!token) {
    token = newToken();
    reply.setCookie(ANONYMOUS_CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(request) });
    request.cookies[ANONYMOUS_CSRF_COOKIE] = token;
  }
  return token;
}

/** The signed-in user, or a 401 telling the visitor what they tried to do needs an account. */
export function requireUser(request: FastifyRequest, doing: string): Auth['user'] {
  if (!request.auth) throw new HttpError(401, `Log in to ${doing}.`);
  return request.auth.user;
}

export function requireModerator(request: FastifyRequest): Auth['user'] {
  const user = requireUser(request, 'moderate');
  if (user.role === 'member') throw new HttpError(403, 'Only moderators can do that.');
  return user;
}

function submittedCsrfToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | null | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : undefined;
}

/**
 * Loads who is asking (a Bearer API token or the session cookie, verified at most every few seconds:
 * see credentials.ts) onto `request.auth`, and refuses
 * state-changing requests without a valid CSRF token unless they authenticate with a Bearer token,
 * which a browser never attaches on its own.
 */
export const authentication: RouteModule = async (app, { db, config, credentials }) => {
  await app.register(fastifyCookie);
  app.decorateRequest('auth', null);
  app.decorate('httpsSite', servedOverHttps(config));

  app.addHook('onRequest', async (request, reply) => {
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      const tokenHash = hashToken(authorization.slice(7).trim());
      request.auth = credentials.get(tokenHash);
      if (request.auth) return;
      const user = await userForApiToken(db, tokenHash);
      if (!user) throw new HttpError(401, 'Invalid or revoked API token.');
      request.auth = { user, via: 'token', csrfToken: null, sessionHash: null };
      credentials.remember(tokenHash, request.auth);
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const sessionHash = hashToken(cookie);
    request.auth = credentials.get(sessionHash);
    if (request.auth) return;
    const session = await findSession(db, sessionHash);
    if (!session) return clearSessionCookie(reply);
    request.auth = { user: session.user, via: 'session', csrfToken: session.csrfToken, sessionHash };
    credentials.remember(sessionHash, request.auth, new Date(session.expiresAt));
  });

  app.addHook('preHandler', async (request) => {
    if (SAFE_METHODS.has(request.method) || request.auth?.via === 'token') return;
    // An API call without a session carries no ambient credential to forge; it gets a plain 401.
    if (!request.auth && request.url.startsWith('/api/')) return;
    if (request.routeOptions.config.csrf === false) return;
    const expected = request.auth?.csrfToken ?? request.cookies[ANONYMOUS_CSRF_COOKIE];
    const submitted = submittedCsrfToken(request);
    if (expected && submitted && sameSecret(expected, submitted)) return;
    throw new HttpError(403, 'This form has expired or did not come from this site (missing or wrong CSRF token). Reload the page and try again.');
  });
};

/** Renders a page in the site layout for this visitor. */
export function sendLayoutPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: Omit<LayoutOptions, 'viewer' | 'csrfToken'>,
  status = 200,
): FastifyReply {
  return sendPage(reply.header('cache-control', 'no-store'), layout({ ...options, viewer: viewerOf(request), csrfToken: request.auth?.csrfToken ?? null }), status);
}

/** One text field of a form or JSON body; anything but a string (a repeated key, a number) counts as missing. */
export function bodyField(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const value = body && typeof body === 'object' ? body[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}
