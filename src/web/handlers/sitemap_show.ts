import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { answerBytes, sharedAnswer } from '../../http/page-cache.js';
import { escapeHtml } from '../../markup/html.js';
import { paperPath, periodPath } from '../../markup/urls.js';
import { recentlyFeatured } from '../../store/papers.js';

/** Papers listed: the most recently featured, so the file stays far below the protocol's 50,000 URLs and 50 MB. */
export const SITEMAP_PAPERS = 5_000;

/**
 * GET /sitemap.xml: the home page, the day pages and the pages of the most recently featured papers,
 * for search engines. Shared like the feed pages (rendered once per PAGE_CACHE_MS, compressed).
 */
export function sitemapShow(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const answer = await sharedAnswer(ctx, 'sitemap', async () => {
      const papers = await recentlyFeatured(ctx.db, SITEMAP_PAPERS);
      const site = ctx.config.BASE_URL.replace(/\/+$/, '');
      const entry = (path: string, lastModified?: string) =>
        `<url><loc>${escapeHtml(site + path)}</loc>${lastModified ? `<lastmod>${lastModified.slice(0, 10)}</lastmod>` : ''}</url>`;
      const days = [...new Set(papers.map((p) => p.featuredOn))];
      const urls = [
        entry('/'),
        ...days.map((day) => entry(periodPath('day', day))),
        ...papers.map((p) => entry(paperPath(p.id), p.modifiedAt)),
      ];
      return Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`,
      );
    });
    return reply
      .type('application/xml; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(answerBytes(request, reply, answer));
  };
}
