import { signUp, startSession } from '../../community/accounts.js';
import { CommunityError } from '../../community/errors.js';
import { bodyField, csrfTokenFor, sendLayoutPage, setSessionCookie } from '../../community/http.js';
import { safeNextPath } from '../../community/next-path.js';
import { enforceRateLimit } from '../../community/rate-limit.js';
import type { RouteModule } from '../app.js';
import { signupForm } from '../templates/account.js';
import { redirectTo } from '../reply.js';

/** GET and POST /signup: create an account with email, username and password, and log in. */
export const accountSignup: RouteModule = (app, ctx) => {
  app.get<{ Querystring: { next?: string } }>('/signup', async (request, reply) => {
    const next = safeNextPath(request.query.next);
    return sendLayoutPage(request, reply, { title: 'Sign up', body: signupForm({ csrfToken: csrfTokenFor(request, reply), next }) });
  });

  app.post('/signup', async (request, reply) => {
    const [email, username, password] = ['email', 'username', 'password'].map((f) => bodyField(request, f));
    const next = safeNextPath(bodyField(request, 'next'));
    try {
      await enforceRateLimit(ctx, 'signup', { account: email?.trim().toLowerCase() ?? null, ip: request.ip });
      const user = await signUp(ctx.db, { email, username, password });
      const session = await startSession(ctx.db, ctx.config, user.id);
      setSessionCookie(request, reply, session.token, session.expiresAt);
      return redirectTo(reply, next);
    } catch (error) {
      if (!(error instanceof CommunityError) || error.statusCode === 429) throw error;
      const body = signupForm({ csrfToken: csrfTokenFor(request, reply), error: error.message, email, username, next });
      return sendLayoutPage(request, reply, { title: 'Sign up', body }, error.statusCode);
    }
  });
};
