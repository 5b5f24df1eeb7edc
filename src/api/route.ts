import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireUser, viewerOf, type Viewer } from '../http/auth.js';
import type { Auth } from '../community/credentials.js';
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { answerBytes, freshAnswer, matchesEntityTag, sharedAnswer } from '../http/page-cache.js';
import { invalidRequest } from '../errors.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler gets: the parsed parameters, query and body, and who asks. */
export type ApiInput<
  P extends z.ZodObject,
  Q extends z.ZodObject,
  B extends z.ZodType | undefined,
  M extends string | undefined,
> = {
  params: z.output<P>;
  query: z.output<Q>;
  body: B extends z.ZodType ? z.output<B> : undefined;
  /** The signed-in caller as pages show them, or null. */
  viewer: Viewer | null;
  ip: string;
  /** The path and query as requested (for links to the next page). */
  url: string;
} & (M extends string ? { member: Auth['user'] } : { member?: undefined });

/**
 * One API route as data: its method and URL, the zod schemas of its path parameters, query and
 * body, who may call it, every answer it gives, and the handler. Validation (here), the handler's
 * types and the OpenAPI document (openapi.ts) all read this object, so the documentation cannot
 * drift from what the server accepts.
 */
export interface ApiRoute<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  M extends string | undefined = string | undefined,
> {
  method: Method;
  operationId: string;
  /** OpenAPI path template, e.g. `/api/papers/{id}`. */
  path: string;
  /** The Fastify URLs that serve it; several where an id may contain a slash. */
  urls: string[];
  /** Maps Fastify's raw path parameters (a wildcard `*`, split segments) to the names in `path`. */
  readParams?: (raw: Record<string, string>) => Record<string, unknown>;
  summary: string;
  description?: string;
  /** Path parameters; none when absent. */
  params?: P;
  /** Query parameters; none when absent. */
  query?: Q;
  /** The JSON (or form) body it takes. */
  body?: B;
  /** A larger body than the server's 1 MB, in bytes (a file upload). */
  bodyLimit?: number;
  /**
   * Only for a member (a Bearer API token, or a session with its X-CSRF-Token): what they are
   * doing, for the 401 that asks anyone else to log in ("Log in to vote.").
   */
  member?: M;
  /** The success answer first, then the errors it can give. */
  responses: ApiResponse[];
  /**
   * A public, read-only answer: clients and proxies may reuse it this long, browser apps on other
   * origins may read it, and an unchanged answer is a 304. Absent: the answer is the caller's own.
   */
  cacheSeconds?: number;
  /**
   * The answer depends on nothing but the parameters (not on who asks), so the server shares it
   * among all callers for PAGE_CACHE_MS, keyed by the parsed parameters (see http/page-cache.ts).
   */
  shared?: boolean;
  /** A write that changes what every reader sees: it empties the shared answers (see http/page-cache.ts). */
  changesSharedAnswers?: boolean;
  handle(input: ApiInput<P, Q, B, M>, ctx: AppContext): Promise<unknown>;
}

export interface ApiResponse {
  status: number;
  description: string;
  /** Absent for answers without a body (204). */
  contentType?: string;
  schema?: z.ZodType;
}

/** Types a route's handler against its own schemas, then erases them for the route table. */
export function defineApiRoute<
  P extends z.ZodObject = typeof noParameters,
  Q extends z.ZodObject = typeof noParameters,
  B extends z.ZodType | undefined = undefined,
  M extends string | undefined = undefined,
>(route: ApiRoute<P, Q, B, M>): ApiRoute {
  return route as unknown as ApiRoute;
}

/** The named schemas of the API; the OpenAPI document lists them as components. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

export const errorJson = z
  .object({
    error: z.string().describe('What was wrong, naming the parameter or field at fault'),
    problems: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe(
        'When a request has several problems: each, with the parameter or field it concerns (empty for the request as a whole)',
      ),
  })
  .register(apiSchemas, { id: 'Error' });

const noParameters = z.object({});

const refusal =
  (status: number) =>
  (description: string): ApiResponse => ({ status, description, contentType: 'application/json', schema: errorJson });

export const answers = {
  ok: (description: string, schema: z.ZodType, contentType = 'application/json'): ApiResponse => ({
    status: 200,
    description,
    contentType,
    schema,
  }),
  created: (description: string, schema: z.ZodType): ApiResponse => ({
    status: 201,
    description,
    contentType: 'application/json',
    schema,
  }),
  accepted: (description: string, schema: z.ZodType): ApiResponse => ({
    status: 202,
    description,
    contentType: 'application/json',
    schema,
  }),
  noContent: (description: string): ApiResponse => ({ status: 204, description }),
  badRequest: refusal(400),
  unauthorized: refusal(401),
  forbidden: refusal(403),
  notFound: refusal(404),
  conflict: refusal(409),
  tooManyRequests: refusal(429),
  /** A refusal whose body says more than `{error}` (e.g. the vote's current state). */
  refusedWith: (status: number, description: string, schema: z.ZodType): ApiResponse => ({
    status,
    description,
    contentType: 'application/json',
    schema,
  }),
};

/** A handler's answer with a status other than the route's first, or headers of its own (how a search was answered). */
export class Answer {
  constructor(
    readonly body: unknown,
    readonly options: { status?: number; headers?: Record<string, string> } = {},
  ) {}
}

/** A handler's answer as sent: text as it is, anything else as JSON. */
function encodeBody(body: unknown): Buffer {
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

function parsed<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(result.error);
  return result.data;
}

/** Parses and checks a request against the route's schemas, and who asks against its `member`; throws the refusal. */
function inputOf(route: ApiRoute, request: FastifyRequest): Parameters<ApiRoute['handle']>[0] {
  // Who asks first: a stranger is told to log in, not that the body is malformed.
  const member = route.member === undefined ? undefined : requireUser(request, route.member);
  const rawParams = request.params as Record<string, string>;
  const input = {
    params: parsed(route.params ?? noParameters, route.readParams ? route.readParams(rawParams) : rawParams),
    query: parsed(route.query ?? noParameters, request.query ?? {}),
    body: route.body && parsed(route.body, request.body ?? {}),
    viewer: viewerOf(request),
    ip: request.ip,
    url: request.url,
  };
  return member ? { ...input, member } : input;
}

/** Registers the route on each of its URLs; every refusal is an HttpError, answered by the app's error handler. */
export function registerApiRoute(app: FastifyInstance, ctx: AppContext, route: ApiRoute): void {
  const success = route.responses[0]!;
  const config = { answersJson: true, changesSharedAnswers: route.changesSharedAnswers ?? false };
  for (const url of route.urls) {
    app.route({
      method: route.method,
      url,
      config,
      ...(route.bodyLimit === undefined ? {} : { bodyLimit: route.bodyLimit }),
      handler: async (request, reply) => {
        const input = inputOf(route, request);
        let status = success.status;
        let headers: Record<string, string> = {};
        const produce = async () => {
          const answer = await route.handle(input, ctx);
          if (!(answer instanceof Answer)) return answer;
          status = answer.options.status ?? status;
          headers = answer.options.headers ?? {};
          return answer.body;
        };
        if (route.cacheSeconds === undefined) {
          const body = await produce();
          return reply.code(status).headers(headers).send(body);
        }
        // The parsed parameters as the key: ?limit=050 and ?limit=50&p=0 are the same request.
        const key = `api ${route.operationId} ${JSON.stringify(input.params)} ${JSON.stringify(input.query)}`;
        // The handler's headers are kept with the body, so a shared copy carries them too.
        const producedWithHeaders = async () => {
          const body = encodeBody(await produce());
          return { body, headers };
        };
        const answer = route.shared
          ? await sharedAnswer(ctx, key, producedWithHeaders)
          : freshAnswer(await producedWithHeaders());
        reply
          .header('cache-control', `public, max-age=${route.cacheSeconds}`)
          .header('etag', answer.etag)
          // A public, read-only API: browser apps on other origins may read it.
          .header('access-control-allow-origin', '*')
          .type(`${success.contentType}; charset=utf-8`)
          .headers(answer.headers ?? {});
        const body = answerBytes(request, reply, answer);
        if (matchesEntityTag(request.headers['if-none-match'], answer.etag)) return reply.code(304).send();
        return reply.code(status).send(body);
      },
    });
  }
}
