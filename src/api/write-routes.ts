import { commentRoutes } from './community-comments.js';
import { meRoutes } from './community-me.js';
import { submitRoutes } from './community-submit.js';
import { voteRoutes } from './community-votes.js';
import type { DocumentedRoute } from './route.js';
import { subscriptionRoutes } from './subscriptions.js';

/**
 * The routes that register their own handlers (they take a body or act for a signed-in member),
 * for /api/openapi.json: described from the same schemas their handlers validate with.
 */
export const writeRoutes: DocumentedRoute[] = [...submitRoutes, ...voteRoutes, ...commentRoutes, ...meRoutes, ...subscriptionRoutes];
