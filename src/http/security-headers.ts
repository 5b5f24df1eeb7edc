import type { FastifyInstance } from 'fastify';
import { servedOverHttps, type Config } from '../config/index.js';

/**
 * The browser-side defences every answer carries: pages, API, feeds, static files and errors.
 *
 * Scripts and stylesheets come only from this site (/static/…): the pages have no inline script or
 * <style>. Style attributes stay allowed (style-src-attr), because KaTeX positions rendered math with
 * them; they cannot run code, and members' text never reaches an attribute unescaped. Nothing may
 * frame the site (clickjacking on vote and moderation buttons), and forms post only to it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** A year: browsers keep to https for this long after a visit. */
const HSTS_MAX_AGE_S = 365 * 86_400;

export function installSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'BASE_URL'>): void {
  const headers: Record<string, string> = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // A route may ask for less (the login-link page sends no referrer at all).
    'referrer-policy': 'strict-origin-when-cross-origin',
    ...(servedOverHttps(config) ? { 'strict-transport-security': `max-age=${HSTS_MAX_AGE_S}` } : {}),
  };
  // Set as the request arrives, so every way of answering it (a handler, a static file, an error page) keeps them.
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(headers);
  });
}
