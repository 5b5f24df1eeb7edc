import type { RouteModule } from '../web/app.js';
import { dailyPapersRoute } from './daily-papers.js';
import { paperMarkdownRoute } from './markdown.js';
import { openApiRoute } from './openapi.js';
import { paperRoute } from './papers.js';
import { registerApiNotFound, registerApiRoute, type AnyApiRoute } from './route.js';
import { paperSearchRoute } from './search.js';
import { similarPapersRoute } from './similar.js';

/** Every API route: what the server registers and what /api/openapi.json describes. */
export const apiRoutes: AnyApiRoute[] = [dailyPapersRoute, paperSearchRoute, paperRoute, paperMarkdownRoute, similarPapersRoute];

export const apiRouteModule: RouteModule = async (app, ctx) => {
  for (const route of [...apiRoutes, openApiRoute(apiRoutes)]) registerApiRoute(app, ctx, route);
  await registerApiNotFound(app);
};
