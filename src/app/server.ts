import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { apiRouteModule } from '../api/routes.js';
import type { AppContext } from './context.js';
import type { TrustProxy } from '../config/index.js';
import { withStoredSecretKey } from '../store/settings.js';
import { authentication } from '../http/auth.js';
import { webRoutes } from '../web/routes.js';
import { installErrorHandler } from '../web/error-handler.js';
import { installSecurityHeaders } from '../http/security-headers.js';
import { forgetSharedAnswersOnWrites } from '../http/page-cache.js';
import { feedRoutes } from '../feeds/routes.js';
import { readGate } from '../http/read-gate.js';
import { readLimits } from '../http/read-limits.js';
import { refuseUnusableText } from '../http/request-text.js';
import { compressPages } from '../http/content-coding.js';

export type RouteModule = (app: FastifyInstance, ctx: AppContext) => void | Promise<void>;

/** The shared hooks, then the route table of each surface, registered in this order. */
const routeModules: RouteModule[] = [
  // First: loads the session or API token and checks CSRF for every route after it.
  authentication,
  // Then: strangers' searches, API and feed requests counted per IP, before any of them runs.
  readLimits,
  // Then: those that were let through take turns, so none of them holds every other request up.
  readGate,
  webRoutes,
  apiRouteModule,
  feedRoutes,
];

/**
 * TRUST_PROXY as fastify takes it. Off by default: otherwise any client could name its own address
 * in X-Forwarded-For and dodge the per-IP rate limits. A hop count trusts that many proxies in
 * front of the server (the address the outermost one saw is the client's), which assumes every
 * request comes through them; fastify itself refuses plain numbers, so it becomes a function here.
 */
function fastifyTrustProxy(setting: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

/**
 * Node looks for requests past their timeout every 30 s by default, so a slow client could hold its socket for
 * up to twice a shorter limit: it looks four times per limit instead (never more often than every 100 ms).
 */
function timeoutCheckInterval(requestTimeoutMs: number): number {
  return Math.min(30_000, Math.max(100, Math.round(requestTimeoutMs / 4)));
}

export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  ctx.config = await withStoredSecretKey(ctx.db, ctx.config);
  const app = Fastify({
    // Request logs only at warn and above: per-request info lines cost throughput and say little.
    // A quieter configured level (error, silent) still wins.
    loggerInstance: ctx.logger.child(
      { component: 'http' },
      { level: ctx.logger.isLevelEnabled('warn') ? 'warn' : ctx.logger.level },
    ) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // A client that trickles its request (headers and body) holds a socket; after this it gets a 408.
    requestTimeout: ctx.config.REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: ctx.config.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: timeoutCheckInterval(ctx.config.REQUEST_TIMEOUT_MS),
    },
    trustProxy: fastifyTrustProxy(ctx.config.TRUST_PROXY),
  });
  installErrorHandler(app);
  // Every answer, refusals and errors included, counted by the route pattern it matched (not the raw URL).
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    ctx.metrics.observeRequest(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  installSecurityHeaders(app, ctx.config);
  refuseUnusableText(app);
  compressPages(app);
  await app.register(formbody);
  // Pages and API answers share one cache; a vote, comment, submission or moderation through this server empties it.
  forgetSharedAnswersOnWrites(app, ctx);
  // A server caches answers and credentials that the other processes' writes change: it hears of them.
  ctx.cluster.listen();
  for (const register of routeModules) await register(app, ctx);
  return app;
}
