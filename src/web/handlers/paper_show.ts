import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { parsePaperId } from '../../ingest/normalize.js';
import { buildThreads } from '../../community/thread.js';
import { withApprovedLinks } from '../../community/code-links.js';
import { approvedCodeLinks } from '../../store/code-link-proposals.js';
import { visitorFor } from '../visitor.js';
import { listComments } from '../../store/comments.js';
import { similarPapers } from '../../recommend/similar.js';
import { getPaper, getPapers, type Paper } from '../../store/papers.js';
import type { CommentDraft } from '../templates/comments.js';
import { redirectTo, sendPage } from '../../http/reply.js';
import { paperPage } from '../templates/paper.js';
import { paperPath } from '../../markup/urls.js';
import { HttpError } from '../../errors.js';
import { paperMarkdown } from '../../api/markdown.js';
import { preferredType } from '../../http/accept.js';

const SIMILAR_ON_PAGE = 5;
const PAGE_TYPES = ['text/html', 'text/markdown'] as const;

/** Sends a paper's page for this reader; with a draft, its comment form holds the refused text and the reason. */
export async function sendPaperPage(
  ctx: Pick<AppContext, 'db' | 'embedders' | 'vectorIndexes' | 'config'>,
  request: FastifyRequest,
  reply: FastifyReply,
  paper: Paper,
  draft?: { comment: CommentDraft; status: number },
): Promise<FastifyReply> {
  const { db } = ctx;
  const [visitor, comments, similar, approved] = await Promise.all([
    visitorFor(db, request, [paper.id]),
    listComments(db, paper.id),
    similarPapers(ctx, paper, SIMILAR_ON_PAGE).then((hits) =>
      getPapers(
        db,
        hits.map((hit) => hit.id),
      ),
    ),
    approvedCodeLinks(db, paper.id),
  ]);
  // Per reader (their vote, moderator views of hidden comments): never stored by shared caches.
  const page = paperPage(withApprovedLinks(paper, approved), visitor, buildThreads(comments), {
    similar,
    draft: draft?.comment,
    siteUrl: ctx.config.BASE_URL,
  });
  return sendPage(reply.header('cache-control', draft ? 'no-store' : 'private, no-cache'), page, draft?.status);
}

/**
 * GET /papers/{id}: one paper. A wildcard, because ids may contain slashes (hep-th/9901001,
 * doi:10.1101/…); versioned or otherwise non-canonical forms redirect to the canonical address.
 */
export function paperShow(ctx: AppContext) {
  const { db } = ctx;
  return async (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
    const raw = request.params['*'];
    const parsed = parsePaperId(raw.replace(/\/+$/, ''));
    if (!parsed) {
      throw new HttpError(
        400,
        `“${raw.slice(0, 120)}” is not a paper id. Papers are addressed by arXiv id (2203.06604, hep-th/9901001) or as source:id (doi:10.1101/…).`,
      );
    }
    if (raw !== parsed.id) return redirectTo(reply, paperPath(parsed.id), 301);
    const paper = await getPaper(db, parsed.id);
    if (!paper || paper.hidden) throw new HttpError(404, `There is no paper ${parsed.id} here yet.`);
    // The same address answers reading tools that ask for Markdown (as /papers/{id}.md does).
    reply.header('vary', 'Accept');
    if (preferredType(request.headers.accept, PAGE_TYPES) === 'text/markdown') {
      return reply
        .header('cache-control', 'public, max-age=300')
        .type('text/markdown; charset=utf-8')
        .send(paperMarkdown(paper, ctx.config.BASE_URL));
    }
    return sendPaperPage(ctx, request, reply, paper);
  };
}
