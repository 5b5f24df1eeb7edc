import type { RouteModule } from '../app/server.js';
import { commentRoutes } from './community-comments.js';
import { deleteMeRoute, meRoute } from './community-me.js';
import { submitRoute } from './community-submit.js';
import { voteRoutes } from './community-votes.js';
import { dailyPapersRoute } from './daily-papers.js';
import { dismissalRoutes, followRoutes, recommendationsRoute } from './for-you.js';
import { libraryRoutes } from './library.js';
import { paperMarkdownRoute } from './markdown.js';
import { openApiRoute } from './openapi.js';
import { paperRoute } from './papers.js';
import { registerApiRoute, type ApiRoute } from './route.js';
import { paperSearchRoute } from './search.js';
import { similarPapersRoute } from './similar.js';
import { subscriptionRoute } from './subscriptions.js';

/** Every API route: what the server registers and what /api/openapi.json describes, in this order. */
export const apiRoutes: ApiRoute[] = [
  dailyPapersRoute,
  paperSearchRoute,
  paperRoute,
  paperMarkdownRoute,
  similarPapersRoute,
  openApiRoute(() => apiRoutes),
  submitRoute,
  ...voteRoutes,
  ...commentRoutes,
  meRoute,
  deleteMeRoute,
  subscriptionRoute,
  ...libraryRoutes,
  recommendationsRoute,
  ...followRoutes,
  ...dismissalRoutes,
];

export const apiRouteModule: RouteModule = (app, ctx) => {
  for (const route of apiRoutes) registerApiRoute(app, ctx, route);
};
