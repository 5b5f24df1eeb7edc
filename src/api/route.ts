import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { answerBytes, freshAnswer, matchesEntityTag, sharedAnswer } from '../web/page-cache.js';

/** The route option of a write that changes what every reader sees (see web/page-cache.ts). */
export { changesSharedAnswers } from '../web/page-cache.js';

/**
 * One API route as data: its URL, the zod schemas that validate its path and query parameters,
 * what it answers, and the handler. Validation (here) and the OpenAPI document (openapi.ts)
 * both read these definitions, so the documentation cannot drift from what the server accepts.
 */
export interface ApiRoute<P extends z.ZodObject = z.ZodObject, Q extends z.ZodObject = z.ZodObject> {
  operationId: string;
  /** OpenAPI path template, e.g. `/api/papers/{id}`. */
  path: string;
  /** The Fastify URLs that serve it; several where an id may contain a slash. */
  urls: string[];
  /** Maps Fastify's raw path parameters (a wildcard `*`, split segments) to the names in `path`. */
  readParams?: (raw: Record<string, string>) => Record<string, unknown>;
  summary: string;
  description?: string;
  params: P;
  query: Q;
  /** The success answer first, then the errors it can give. */
  responses: ApiResponse[];
  /** How long clients and proxies may reuse a success answer. */
  cacheSeconds: number;
  /**
   * The answer depends on nothing but the parameters (not on who asks), so the server shares it
   * among all callers for PAGE_CACHE_MS, keyed by the parsed parameters (see web/page-cache.ts).
   */
  shared?: boolean;
  handle(input: { params: z.output<P>; query: z.output<Q> }, ctx: AppContext): Promise<unknown>;
}

export interface ApiResponse {
  status: number;
  description: string;
  /** Absent for answers without a body (204). */
  contentType?: string;
  schema?: z.ZodType;
}

/**
 * A route that registers its own handler (the community and subscription routes, which take a body
 * and a signed-in caller) but is described in the OpenAPI document from the same zod schemas its
 * handler validates with.
 */
export interface DocumentedRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  operationId: string;
  /** OpenAPI path template. */
  path: string;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** The JSON body the handler parses. */
  body?: z.ZodType;
  responses: ApiResponse[];
  /** Needs a caller: a Bearer API token (or a browser session with its X-CSRF-Token). */
  authenticated: boolean;
}

export type AnyApiRoute = ApiRoute<z.ZodObject, z.ZodObject>;

/** Types a route's handler against its own schemas, then erases them for the shared list. */
export function defineApiRoute<P extends z.ZodObject, Q extends z.ZodObject>(route: ApiRoute<P, Q>): AnyApiRoute {
  return route as unknown as AnyApiRoute;
}

/** A failure the client caused or can act on; answered as `{error}` with this status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Every problem in one line, each prefixed by the parameter it concerns. */
export function describeIssues(error: z.ZodError): string {
  const lines = error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  return [...new Set(lines)].join('; ');
}

/** The named schemas of the API; the OpenAPI document lists them as components. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

export const errorJson = z
  .object({ error: z.string().describe('What was wrong, naming the parameter at fault') })
  .register(apiSchemas, { id: 'Error' });

export const noParameters = z.object({});

const refusal = (status: number) => (description: string): ApiResponse => ({ status, description, contentType: 'application/json', schema: errorJson });

export const answers = {
  ok: (description: string, schema: z.ZodType, contentType = 'application/json'): ApiResponse => ({ status: 200, description, contentType, schema }),
  created: (description: string, schema: z.ZodType): ApiResponse => ({ status: 201, description, contentType: 'application/json', schema }),
  accepted: (description: string, schema: z.ZodType): ApiResponse => ({ status: 202, description, contentType: 'application/json', schema }),
  noContent: (description: string): ApiResponse => ({ status: 204, description }),
  badRequest: refusal(400),
  unauthorized: refusal(401),
  forbidden: refusal(403),
  notFound: refusal(404),
  conflict: refusal(409),
  tooManyRequests: refusal(429),
  /** A refusal whose body says more than `{error}` (e.g. the vote's current state). */
  refusedWith: (status: number, description: string, schema: z.ZodType): ApiResponse => ({ status, description, contentType: 'application/json', schema }),
};

function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ error: message });
}

/** A handler's answer with headers of its own (how a search was answered); for routes that are not shared. */
export class AnswerWithHeaders {
  constructor(
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {}
}

/** A handler's answer as sent: text as it is, anything else as JSON. */
function encodeBody(body: unknown): Buffer {
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

export function registerApiRoute(app: FastifyInstance, ctx: AppContext, route: AnyApiRoute): void {
  const success = route.responses[0]! as Required<ApiResponse>;
  for (const url of route.urls) {
    app.get(url, async (request, reply) => {
      const rawParams = request.params as Record<string, string>;
      const params = route.params.safeParse(route.readParams ? route.readParams(rawParams) : rawParams);
      if (!params.success) return sendError(reply, 400, describeIssues(params.error));
      const query = route.query.safeParse(request.query ?? {});
      if (!query.success) return sendError(reply, 400, describeIssues(query.error));
      let headers: Record<string, string> = {};
      const produce = async () => {
        const answer = await route.handle({ params: params.data, query: query.data }, ctx);
        if (!(answer instanceof AnswerWithHeaders)) return encodeBody(answer);
        headers = answer.headers;
        return encodeBody(answer.body);
      };
      try {
        // The parsed parameters as the key: ?limit=050 and ?limit=50&p=0 are the same request.
        const key = `api ${route.operationId} ${JSON.stringify(params.data)} ${JSON.stringify(query.data)}`;
        const answer = route.shared ? await sharedAnswer(ctx, key, produce) : freshAnswer(await produce());
        reply
          .header('cache-control', `public, max-age=${route.cacheSeconds}`)
          .header('etag', answer.etag)
          // A public, read-only API: browser apps on other origins may read it.
          .header('access-control-allow-origin', '*')
          .type(`${success.contentType}; charset=utf-8`)
          .headers(headers);
        const body = answerBytes(request, reply, answer);
        if (matchesEntityTag(request.headers['if-none-match'], answer.etag)) return reply.code(304).send();
        return reply.send(body);
      } catch (error) {
        if (error instanceof ApiError) return sendError(reply, error.status, error.message);
        throw error;
      }
    });
  }
}

/** Unknown URLs under /api answer in JSON like the rest of the API. */
export async function registerApiNotFound(app: FastifyInstance): Promise<void> {
  await app.register(
    async (scope) => {
      scope.setNotFoundHandler((request, reply) => {
        const path = request.url.split('?')[0]!.slice(0, 200);
        return sendError(reply, 404, `no API route ${request.method} ${path}`);
      });
    },
    { prefix: '/api' },
  );
}
