import type { FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../http/auth.js';
import { sendPage } from '../http/reply.js';
import { layout, type LayoutOptions } from './templates/layout.js';

/** Renders a page in the site layout for this visitor. */
export function sendLayoutPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: Omit<LayoutOptions, 'viewer' | 'csrfToken'>,
  status = 200,
): FastifyReply {
  return sendPage(
    reply.header('cache-control', 'no-store'),
    layout({ ...options, viewer: viewerOf(request), csrfToken: request.auth?.csrfToken ?? null }),
    status,
  );
}
