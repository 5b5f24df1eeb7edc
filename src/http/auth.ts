import fastifyCookie from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { servedOverHttps } from '../config/index.js';
import { findSession } from '../store/sessions.js';
import { userForApiToken } from '../store/users.js';
import type { RouteModule } from '../app/server.js';
import type { Auth } from '../community/credentials.js';
import { hashToken, sameSecret } from '../community/tokens.js';
import { HttpError } from '../errors.js';
import { ANONYMOUS_CSRF_COOKIE, clearSessionCookie, SESSION_COOKIE } from './cookies.js';

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
    /** false: the route reads its own Bearer token (GET /metrics), so none is looked up as an API token. */
    apiToken?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who is looking at a page or asking the API: the signed-in member as pages show them, absent for anonymous readers. */
export interface Viewer {
  id: string;
  displayName: string;
  role: 'member' | 'moderator' | 'admin';
}

export function viewerOf(request: FastifyRequest): Viewer | null {
  const user = request.auth?.user;
  return user ? { id: user.id, displayName: user.username, role: user.role } : null;
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
    if (request.routeOptions.config.apiToken === false) return;
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
    throw new HttpError(
      403,
      'This form has expired or did not come from this site (missing or wrong CSRF token). Reload the page and try again.',
    );
  });
};
