import type { FastifyReply } from 'fastify';
import { safeNextPath } from '../community/next-path.js';
import { SafeHtml } from '../markup/html.js';

/** Sends a rendered HTML page (or its already encoded bytes). */
export function sendPage(reply: FastifyReply, page: SafeHtml | Buffer, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(page instanceof SafeHtml ? page.value : page);
}

/** Redirects within this site: every redirect goes through here, so no target can send a visitor elsewhere. */
export function redirectTo(reply: FastifyReply, target: string, status: 301 | 303 = 303): FastifyReply {
  return reply.redirect(safeNextPath(target), status);
}
