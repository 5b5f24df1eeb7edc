import type { RouteModule } from '../web/app.js';
import { commentRoutes } from './community-comments.js';
import { meRoutes } from './community-me.js';
import { submitRoutes } from './community-submit.js';
import { voteRoutes } from './community-votes.js';
import { dailyPapersRoute } from './daily-papers.js';
import { paperMarkdownRoute } from './markdown.js';
import { openApiRoute } from './openapi.js';
import { paperRoute } from './papers.js';
import { registerApiNotFound, registerApiRoute, type AnyApiRoute, type DocumentedRoute } from './route.js';
import { paperSearchRoute } from './search.js';
import { subscriptionRoutes } from './subscriptions.js';

/** Every API route: what the server registers and what /api/openapi.json describes. */
export const apiRoutes: AnyApiRoute[] = [dailyPapersRoute, paperSearchRoute, paperRoute, paperMarkdownRoute];

/** The routes that register their own handlers (a body, a signed-in caller), for the document only. */
const writeRoutes: DocumentedRoute[] = [...submitRoutes, ...voteRoutes, ...commentRoutes, ...meRoutes, ...subscriptionRoutes];

export const apiRouteModule: RouteModule = async (app, ctx) => {
  for (const route of [...apiRoutes, openApiRoute(apiRoutes, writeRoutes)]) registerApiRoute(app, ctx, route);
  await registerApiNotFound(app);
};
