import type { FastifyReply } from 'fastify';
import { SafeHtml } from './html.js';

/** Sends a rendered HTML page (or its already encoded bytes). */
export function sendPage(reply: FastifyReply, page: SafeHtml | Buffer, status = 200): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(page instanceof SafeHtml ? page.value : page);
}
