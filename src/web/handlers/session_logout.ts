import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { clearSessionCookie } from '../../http/cookies.js';
import { deleteSession } from '../../store/sessions.js';
import { redirectTo } from '../../http/reply.js';

/** POST /logout: ends this session (the CSRF check keeps other sites from logging people out). */
export function sessionLogout({ db, credentials }: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.auth?.sessionHash) {
      await deleteSession(db, request.auth.sessionHash);
      credentials.forget(request.auth.sessionHash);
    }
    clearSessionCookie(reply);
    return redirectTo(reply, '/');
  };
}
