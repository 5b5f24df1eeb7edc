import type { FastifyReply, FastifyRequest } from 'fastify';
import { newToken } from '../community/tokens.js';

export const SESSION_COOKIE = 'dp_session';
/** Double-submit token for visitors without a session (login and sign-up forms). */
export const ANONYMOUS_CSRF_COOKIE = 'dp_csrf';

/** Cookies are Secure on an https site (BASE_URL), and on any request that came over https. */
function secureCookies(request: FastifyRequest): boolean {
  return request.server.httpsSite || request.protocol === 'https';
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(request),
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
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
    reply.setCookie(ANONYMOUS_CSRF_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies(request),
    });
    request.cookies[ANONYMOUS_CSRF_COOKIE] = token;
  }
  return token;
}
