import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import type { Config } from '../../config/index.js';
import { bodyField } from '../../http/request-text.js';
import { csrfTokenFor } from '../../http/cookies.js';
import { requireUser } from '../../http/auth.js';
import { sendLayoutPage } from '../layout-page.js';
import { submitPaper } from '../../community/submit.js';
import { html } from '../../markup/html.js';
import { submitPage } from '../templates/submit.js';
import { katexHead } from '../templates/katex.js';
import { redirectTo } from '../../http/reply.js';
import { HttpError } from '../../errors.js';

// Shows that a submission is being looked up (it may wait on arXiv for seconds).
const busyScript = html`<script src="/static/busy-form.js" defer></script>`;

/** How many papers a member may submit, shown beside the form. */
const submitLimits = (config: Config) => ({
  windowDays: config.SUBMIT_WINDOW_DAYS,
  dailyLimit: config.SUBMIT_DAILY_LIMIT,
});

/** The submission form (members only: visitors are sent to log in first). */
export function paperSubmitForm(ctx: AppContext) {
  const limits = submitLimits(ctx.config);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.auth) return redirectTo(reply, '/login?next=%2Fsubmit');
    const body = submitPage({ csrfToken: csrfTokenFor(request, reply), ...limits });
    return sendLayoutPage(request, reply, { title: 'Submit a paper', body, head: busyScript });
  };
}

/** Features a paper on today's list by arXiv id or URL; a refusal is shown in the form. */
export function paperSubmit(ctx: AppContext) {
  const limits = submitLimits(ctx.config);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'submit papers');
    const input = bodyField(request, 'paper') ?? '';
    try {
      const result = await submitPaper(ctx, user, input, { ip: request.ip });
      const body = submitPage({ csrfToken: csrfTokenFor(request, reply), result, ...limits });
      const status = result.duplicate ? 200 : 201;
      // The message names the paper, whose title may hold math.
      const head = [busyScript, katexHead()];
      return sendLayoutPage(request, reply, { title: 'Submit a paper', body, head }, status);
    } catch (error) {
      if (!(error instanceof HttpError) || error.statusCode === 429) throw error;
      const body = submitPage({
        csrfToken: csrfTokenFor(request, reply),
        input: input.slice(0, 256),
        error: error.message,
        ...limits,
      });
      return sendLayoutPage(request, reply, { title: 'Submit a paper', body, head: busyScript }, error.statusCode);
    }
  };
}
