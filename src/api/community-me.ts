import { requireUser } from '../community/http.js';
import type { RouteModule } from '../web/app.js';

/** GET /api/me: who a token or session belongs to (handy for checking a script's token). */
export const meApi: RouteModule = (app) => {
  app.get('/api/me', async (request) => {
    const user = requireUser(request, 'see who you are');
    return { id: user.id, username: user.username, role: user.role, createdAt: user.createdAt };
  });
};
