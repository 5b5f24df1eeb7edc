import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { HttpError } from '../../errors.js';
import { parsePaperId } from '../../ingest/normalize.js';
import { getPaper } from '../../store/papers.js';
import { thumbnailImage } from '../../store/thumbnails.js';
import { titleCardSvg } from '../title-card.js';
import { redirectTo } from '../../http/reply.js';

/** A rendered first page changes only if it is rendered again: a week. */
const THUMBNAIL_MAX_AGE_S = 7 * 86_400;
/** Until then the stand-in is shown, asked again after ten minutes to pick the rendered page up. */
const STAND_IN_MAX_AGE_S = 600;

/**
 * GET /thumbnails/{id}.webp: the paper's first page, or (until one is rendered, and for papers
 * without a PDF) a redirect to /thumbnails/{id}.svg, its generated title card. A wildcard, as ids
 * may hold slashes (hep-th/9901001).
 */
export function thumbnailShow(ctx: AppContext) {
  return async (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
    const match = /^(.+)\.(webp|svg)$/.exec(request.params['*']);
    const parsed = match ? parsePaperId(match[1]!) : null;
    if (!match || !parsed || parsed.id !== match[1])
      throw new HttpError(404, 'Thumbnails are at /thumbnails/PAPER_ID.webp, with the id as the paper page has it.');
    const paper = await getPaper(ctx.db, parsed.id);
    if (!paper || paper.hidden) throw new HttpError(404, `There is no paper ${parsed.id} here yet.`);
    if (match[2] === 'svg') {
      return reply
        .type('image/svg+xml')
        .header('cache-control', `public, max-age=${STAND_IN_MAX_AGE_S}`)
        .send(titleCardSvg(paper));
    }
    const image = await thumbnailImage(ctx.db, paper.id);
    if (!image) {
      reply.header('cache-control', `public, max-age=${STAND_IN_MAX_AGE_S}`);
      return redirectTo(reply, `/thumbnails/${paper.id}.svg`, 303);
    }
    return reply.type('image/webp').header('cache-control', `public, max-age=${THUMBNAIL_MAX_AGE_S}`).send(image);
  };
}
