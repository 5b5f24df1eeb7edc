import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { proposeCodeLink } from '../../community/code-links.js';
import { requireUser } from '../../http/auth.js';
import { bodyField } from '../../http/request-text.js';
import { html } from '../../markup/html.js';
import { paperPath } from '../../markup/urls.js';
import { sendLayoutPage } from '../layout-page.js';

/** POST /code-links: a member proposes a code link for a paper; it waits for a moderator. */
export function codeLinkPropose(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const user = requireUser(request, 'propose code links');
    const { paper, url } = await proposeCodeLink(
      ctx,
      user,
      { paper: bodyField(request, 'paper') ?? '', url: bodyField(request, 'url') ?? '' },
      { ip: request.ip },
    );
    const body = html`<section>
  <h1>Thanks</h1>
  <p>Your link <code>${url}</code> waits for a moderator; it shows on the paper once approved.</p>
  <p><a href="${paperPath(paper.id)}">Back to the paper</a></p>
</section>`;
    return sendLayoutPage(request, reply, { title: 'Code link proposed', body }, 202);
  };
}
