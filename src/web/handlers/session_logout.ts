import { clearSessionCookie } from '../../http/cookies.js';
import { deleteSession } from '../../store/sessions.js';
import type { RouteModule } from '../../app/server.js';
import { redirectTo } from '../../http/reply.js';

/** POST /logout: ends this session (the CSRF check keeps other sites from logging people out). */
export const sessionLogout: RouteModule = (app, { db, credentials }) => {
  app.post('/logout', async (request, reply) => {
    if (request.auth?.sessionHash) {
      await deleteSession(db, request.auth.sessionHash);
      credentials.forget(request.auth.sessionHash);
    }
    clearSessionCookie(reply);
    return redirectTo(reply, '/');
  });
};
