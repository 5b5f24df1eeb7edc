import fastifyStatic from '@fastify/static';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteModule } from '../app/server.js';
import { feedDay } from './handlers/feed_day.js';
import { feedLatest } from './handlers/feed_latest.js';
import { feedMonth } from './handlers/feed_month.js';
import { feedWeek } from './handlers/feed_week.js';
import { paperShow } from './handlers/paper_show.js';
import { searchShow } from './handlers/search_show.js';

const katexDist = dirname(fileURLToPath(import.meta.resolve('katex/dist/katex.min.css')));

/** The reading pages: the feed by day, week and month, each paper, and search; plus KaTeX's stylesheet and fonts. */
export const readingPages: RouteModule = async (app, ctx) => {
  await app.register(fastifyStatic, {
    root: katexDist,
    prefix: '/static/katex/',
    decorateReply: false,
    maxAge: '7d',
    // Only the stylesheet and its fonts: the rendering happens on the server.
    allowedPath: (path) => path === '/katex.min.css' || /^\/fonts\/[\w-]+\.(woff2?|ttf)$/.test(path),
  });
  for (const register of [feedLatest, feedDay, feedWeek, feedMonth, paperShow, searchShow]) await register(app, ctx);
};
