import { pageChrome, sendLayoutPage } from '../../community/http.js';
import { listTrending } from '../../store/papers.js';
import { votedPaperIds } from '../../store/votes.js';
import type { RouteModule } from '../app.js';
import { html } from '../html.js';
import { trendingPage } from '../templates/trending.js';

/** GET /papers/trending: featured papers by trending score. */
export const papersTrending: RouteModule = (app, { db }) => {
  app.get('/papers/trending', async (request, reply) => {
    const papers = await listTrending(db, { limit: 50 });
    const { viewer, csrfToken } = pageChrome(request);
    const votedIds = viewer ? await votedPaperIds(db, viewer.id, papers.map((p) => p.id)) : new Set<string>();
    const body = trendingPage(papers, { viewer, csrfToken, returnTo: '/papers/trending', votedIds });
    return sendLayoutPage(request, reply, { title: 'Trending papers', body, head: html`<script src="/static/vote.js" defer></script>` });
  });
};
