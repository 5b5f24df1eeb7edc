import { z } from 'zod';
import { answers, apiSchemas, defineApiRoute, type ApiRoute, type ApiResponse } from './route.js';

type JsonSchema = Record<string, unknown>;

const componentRef = (id: string) => `#/components/schemas/${id}`;

/** JSON Schema of what a client sends (io: input), without the draft marker OpenAPI does not want per parameter. */
function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function responseSchema(schema: z.ZodType): JsonSchema {
  const id = apiSchemas.get(schema)?.id;
  if (id) return { $ref: componentRef(id) };
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(location: 'path' | 'query', object: z.ZodObject | undefined): JsonSchema[] {
  if (!object) return [];
  const { properties = {}, required = [] } = inputSchema(object) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, { description, ...schema }]) => ({
    name,
    in: location,
    required: location === 'path' || required.includes(name),
    ...(description ? { description } : {}),
    schema,
  }));
}

function responses(list: ApiResponse[]): JsonSchema {
  return Object.fromEntries(
    list.map((r) => [
      String(r.status),
      {
        description: r.description,
        ...(r.contentType && r.schema ? { content: { [r.contentType]: { schema: responseSchema(r.schema) } } } : {}),
      },
    ]),
  );
}

function components(): JsonSchema {
  const { schemas } = z.toJSONSchema(apiSchemas, { uri: componentRef }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]));
}

function operation(route: ApiRoute): JsonSchema {
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    parameters: [...parameters('path', route.params), ...parameters('query', route.query)],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: inputSchema(route.body) } } } }
      : {}),
    responses: responses(route.responses),
    ...(route.member !== undefined ? { security: [{ bearerToken: [] }] } : {}),
  };
}

/** The OpenAPI 3.1 description of the given routes, generated from the schemas that validate them. */
export function openApiDocument(routes: ApiRoute[], serverUrl: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'dailypapers API',
      version: '1',
      description:
        'JSON API for the daily paper feed. The read routes are public and compatible with the Hugging Face Hub papers API; ' +
        'submitting, voting and commenting need an API token (create one on your account page) sent as `Authorization: Bearer …`.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: components(),
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A personal API token from /account. (Browser sessions work too, with the page’s CSRF token in X-CSRF-Token.)',
        },
      },
    },
  };
}

/** GET /api/openapi.json, describing every route of the table it is listed in, itself included. */
export function openApiRoute(table: () => ApiRoute[]): ApiRoute {
  let built: { baseUrl: string; document: ReturnType<typeof openApiDocument> } | undefined;
  return defineApiRoute({
    method: 'GET',
    operationId: 'getOpenApiDocument',
    path: '/api/openapi.json',
    urls: ['/api/openapi.json'],
    summary: 'This API’s OpenAPI 3.1 description',
    responses: [answers.ok('The OpenAPI document', z.record(z.string(), z.unknown()))],
    cacheSeconds: 3600,
    async handle(_input, { config }) {
      // The same for the life of the process, per site address (two apps in one process, as in tests, may differ).
      if (built?.baseUrl !== config.BASE_URL)
        built = { baseUrl: config.BASE_URL, document: openApiDocument(table(), config.BASE_URL) };
      return built.document;
    },
  });
}
