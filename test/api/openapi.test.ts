import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/community/accounts.js';
import { upsertPapers } from '../../src/store/papers.js';
import { createUser } from '../../src/store/users.js';
import { looseLimits } from '../community/fixtures.js';
import { featurePapers, paperRecord } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { serveFreshDatabase } from '../helpers/server.js';
import { getJson } from './fixtures.js';

const DOC_ID = 'https://dailypapers.test/openapi.json';
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

describe.each(testDatabases())('GET /api/openapi.json on $dialect', ({ create }) => {
  let doc: any;
  let paperId: string;
  let ajv: Ajv2020;
  let token: string;
  const unfeatured = paperRecord({ publishedOn: new Date().toISOString().slice(0, 10) });
  const api = serveFreshDatabase(
    create,
    async (db) => {
      [paperId] = await featurePapers(db, [
        { day: '2026-11-27', record: { abstract: 'See https://github.com/acme/tool.' } },
      ]);
      await upsertPapers(db, [unfeatured]);
      const user = await createUser(db, { email: 'script@example.org', username: 'script', passwordHash: null });
      token = (await issueApiToken(db, user.id, 'openapi test')).token;
    },
    looseLimits,
  );

  beforeAll(async () => {
    const response = await getJson(`${api.server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    doc = response.body;
    // The document's own schemas validate the answers below; OpenAPI's other keys are not JSON Schema.
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: DOC_ID });
  });

  const parameterNames = (path: string, method = 'get') =>
    doc.paths[path][method].parameters.map((p: any) => `${p.in}:${p.name}${p.required ? '!' : ''}`);
  const operations = () => Object.values(doc.paths).flatMap((path: any) => Object.values(path)) as any[];

  it('is OpenAPI 3.1 and lists every route with its parameters', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: api.server.ctx.config.BASE_URL }]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/collections',
      '/api/collections/{id}',
      '/api/collections/{id}/export',
      '/api/collections/{id}/import',
      '/api/comments',
      '/api/comments/{id}',
      '/api/daily_papers',
      '/api/follows',
      '/api/library',
      '/api/library/export',
      '/api/library/{paperId}',
      '/api/me',
      '/api/not-interested/{paperId}',
      '/api/openapi.json',
      '/api/papers/search',
      '/api/papers/submit',
      '/api/papers/{id}',
      '/api/papers/{id}/similar',
      '/api/recommendations',
      '/api/subscriptions',
      '/api/votes/{paperId}',
      '/papers/{id}.md',
    ]);
    expect(Object.keys(doc.paths['/api/votes/{paperId}'])).toEqual(['put', 'delete']);
    expect(Object.keys(doc.paths['/api/comments/{id}'])).toEqual(['patch', 'delete']);
    expect(parameterNames('/api/votes/{paperId}', 'put')).toEqual(['path:paperId!']);
    expect(parameterNames('/api/comments')).toEqual(['query:paper!']);
    expect(parameterNames('/api/daily_papers')).toEqual([
      'query:date',
      'query:week',
      'query:month',
      'query:p',
      'query:limit',
      'query:sort',
      'query:submitter',
      'query:category',
    ]);
    expect(parameterNames('/api/papers/search')).toEqual([
      'query:q',
      'query:mode',
      'query:from',
      'query:to',
      'query:category',
      'query:author',
      'query:sort',
      'query:limit',
      'query:p',
      'query:offset',
    ]);
    expect(parameterNames('/api/papers/{id}')).toEqual(['path:id!']);
    expect(parameterNames('/api/papers/{id}/similar')).toEqual(['path:id!', 'query:limit']);
    expect(parameterNames('/papers/{id}.md')).toEqual(['path:id!']);
    expect(parameterNames('/api/openapi.json')).toEqual([]);
  });

  it('describes parameter values the way the server validates them', () => {
    const [date, week, month, p, limit, sort] = doc.paths['/api/daily_papers'].get.parameters;
    expect(date.schema).toMatchObject({ type: 'string', format: 'date' });
    expect(week.schema).toMatchObject({ type: 'string', pattern: '^\\d{4}-W\\d{2}$' });
    expect(month.schema).toMatchObject({ type: 'string', pattern: '^\\d{4}-\\d{2}$' });
    expect(p.schema).toMatchObject({ type: 'integer', minimum: 0, default: 0 });
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 50 });
    expect(sort.schema).toEqual({ type: 'string', enum: ['upvotes', 'trending', 'publishedAt', 'stars'] });
    for (const parameter of operations().flatMap((operation) => operation.parameters)) {
      expect((parameter as any).description, JSON.stringify(parameter)).toBeTruthy();
    }
  });

  it('resolves every $ref to a component schema', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of new Set(refs)) {
      const name = ref.replace('#/components/schemas/', '');
      expect(doc.components.schemas[name], ref).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas).sort()).toEqual([
      'AccountDeletion',
      'Author',
      'Collection',
      'Comment',
      'CommentNode',
      'CommentThreads',
      'DailyPaper',
      'DailyPaperList',
      'Dismissal',
      'Error',
      'Follow',
      'ImportReport',
      'LibraryItem',
      'Me',
      'Paper',
      'Recommendation',
      'Submission',
      'SubscriptionPending',
      'User',
      'Vote',
      'VoteUnchanged',
    ]);
  });

  it('asks for the bearer token on the routes that act for a member, and only there', () => {
    expect(doc.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const secured = Object.entries(doc.paths).flatMap(([path, methods]: [string, any]) =>
      Object.entries(methods)
        .filter(([, operation]: [string, any]) => operation.security)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(secured.sort()).toEqual([
      'DELETE /api/comments/{id}',
      'DELETE /api/follows',
      'DELETE /api/library/{paperId}',
      'DELETE /api/me',
      'DELETE /api/not-interested/{paperId}',
      'DELETE /api/votes/{paperId}',
      'GET /api/collections',
      'GET /api/follows',
      'GET /api/library',
      'GET /api/library/export',
      'GET /api/me',
      'GET /api/recommendations',
      'PATCH /api/collections/{id}',
      'PATCH /api/comments/{id}',
      'POST /api/collections',
      'POST /api/collections/{id}/import',
      'POST /api/comments',
      'POST /api/follows',
      'POST /api/papers/submit',
      'PUT /api/library/{paperId}',
      'PUT /api/not-interested/{paperId}',
      'PUT /api/votes/{paperId}',
    ]);
    for (const operation of operations().filter((o) => o.security)) {
      expect(operation.security).toEqual([{ bearerToken: [] }]);
      expect(operation.responses['401'], operation.operationId).toBeDefined();
    }
  });

  it('answers the write routes as documented, and accepts the bodies the document describes', async () => {
    const call = async (method: string, path: string, url: string, body?: unknown, authorized = true) => {
      const operation = doc.paths[path][method.toLowerCase()];
      if (body !== undefined) {
        const validateBody = ajv.getSchema(
          `${DOC_ID}#/${pointer('paths', path, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema')}`,
        )!;
        expect(validateBody(body), `${method} ${path} body ${JSON.stringify(validateBody.errors)}`).toBe(true);
      }
      const response = await fetch(`${api.server.url}${url}`, {
        method,
        headers: {
          ...(authorized ? { authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const declared = operation.responses[String(response.status)];
      expect(declared, `${method} ${path} declares ${response.status}`).toBeDefined();
      const text = await response.text();
      if (!declared.content) {
        expect(text).toBe('');
        return { status: response.status, body: null };
      }
      const json = JSON.parse(text);
      const validate = ajv.getSchema(
        `${DOC_ID}#/${pointer('paths', path, method.toLowerCase(), 'responses', String(response.status), 'content', 'application/json', 'schema')}`,
      )!;
      expect(validate(json), `${method} ${path} ${response.status}: ${JSON.stringify(validate.errors)}`).toBe(true);
      return { status: response.status, body: json };
    };

    expect(
      (
        await call('POST', '/api/papers/submit', '/api/papers/submit', {
          id: `https://arxiv.org/abs/${unfeatured.id}v1`,
        })
      ).status,
    ).toBe(201);
    expect((await call('POST', '/api/papers/submit', '/api/papers/submit', { id: unfeatured.id })).body.duplicate).toBe(
      true,
    );
    expect((await call('POST', '/api/papers/submit', '/api/papers/submit', { id: 'not an id' })).status).toBe(400);
    expect((await call('PUT', '/api/votes/{paperId}', `/api/votes/${unfeatured.id}`)).body).toEqual({
      paperId: unfeatured.id,
      voted: true,
      upvotes: 1,
    });
    expect((await call('PUT', '/api/votes/{paperId}', `/api/votes/${unfeatured.id}`)).status).toBe(409);
    expect((await call('DELETE', '/api/votes/{paperId}', `/api/votes/${unfeatured.id}`)).body.upvotes).toBe(0);
    expect((await call('PUT', '/api/votes/{paperId}', `/api/votes/${unfeatured.id}`, undefined, false)).status).toBe(
      401,
    );
    expect((await call('PUT', '/api/votes/{paperId}', '/api/votes/2601.99999')).status).toBe(404);

    const posted = await call('POST', '/api/comments', '/api/comments', {
      paperId: unfeatured.id,
      body: 'Nice: $x^2$',
    });
    expect(posted.status).toBe(201);
    const reply = await call('POST', '/api/comments', '/api/comments', {
      paperId: unfeatured.id,
      parentId: posted.body.id,
      body: 'Agreed.',
    });
    expect(reply.status).toBe(201);
    expect((await call('POST', '/api/comments', '/api/comments', { paperId: unfeatured.id, body: '   ' })).status).toBe(
      400,
    );
    const threads = await call('GET', '/api/comments', `/api/comments?paper=${unfeatured.id}`, undefined, false);
    expect(threads.body.comments[0].replies[0].body).toBe('Agreed.');
    expect(
      (await call('PATCH', '/api/comments/{id}', `/api/comments/${posted.body.id}`, { body: 'Edited.' })).body.body,
    ).toBe('Edited.');
    expect((await call('DELETE', '/api/comments/{id}', `/api/comments/${reply.body.id}`)).status).toBe(204);
    expect((await call('DELETE', '/api/comments/{id}', `/api/comments/${reply.body.id}`)).status).toBe(409);

    expect((await call('GET', '/api/me', '/api/me')).body.username).toBe('script');
    expect((await call('GET', '/api/me', '/api/me', undefined, false)).status).toBe(401);
    expect(
      (
        await call(
          'POST',
          '/api/subscriptions',
          '/api/subscriptions',
          { email: 'reader@example.org', frequency: 'weekly' },
          false,
        )
      ).status,
    ).toBe(202);
    expect(
      (await call('POST', '/api/subscriptions', '/api/subscriptions', { email: 'not an address' }, false)).status,
    ).toBe(400);
  });

  it('describes each write route’s request body and refusals from the schemas that validate them', () => {
    const withBodies = operations()
      .filter((operation) => operation.requestBody)
      .map((operation) => operation.operationId);
    expect(withBodies.sort()).toEqual([
      'changeCollection',
      'createCollection',
      'deleteMe',
      'editComment',
      'follow',
      'importBibtex',
      'postComment',
      'savePaper',
      'submitPaper',
      'subscribe',
    ]);
    expect(doc.paths['/api/comments'].post.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['paperId', 'body'],
      properties: { parentId: { anyOf: expect.any(Array) }, body: { type: 'string', minLength: 1, maxLength: 10_000 } },
    });
    expect(
      doc.paths['/api/subscriptions'].post.requestBody.content['application/json'].schema.properties.frequency,
    ).toEqual({ type: 'string', enum: ['daily', 'weekly'] });
    for (const operation of operations()) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
        if (Number(status) < 400) continue;
        expect(response.content['application/json'].schema, `${operation.operationId} ${status}`).toMatchObject({
          $ref: expect.stringMatching(/^#\/components\/schemas\//),
        });
      }
    }
    expect(Object.keys(doc.paths['/api/papers/submit'].post.responses)).toEqual(
      ['200', '201', '400', '401', '403', '404', '429', '502', '504'].sort(),
    );
    expect(doc.components.schemas.Error).toMatchObject({
      required: ['error'],
      properties: { problems: { type: 'array' } },
    });
  });

  it('lists every problem of a bad request, where and what, in the documented error shape', async () => {
    const validateError = ajv.getSchema(`${DOC_ID}#/components/schemas/Error`)!;
    const subscription = await fetch(`${api.server.url}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 5, frequency: 'hourly', top: 'yes' }),
    });
    expect(subscription.status).toBe(400);
    const refusal = await subscription.json();
    expect(validateError(refusal), JSON.stringify(validateError.errors)).toBe(true);
    expect(refusal.problems.map((problem: any) => problem.path)).toEqual(['email', 'frequency', 'top']);
    expect(refusal.error).toBe(
      refusal.problems.map((problem: any) => `${problem.path}: ${problem.message}`).join('; '),
    );

    const query = await getJson(`${api.server.url}/api/daily_papers?limit=0&sort=random`);
    expect(query.status).toBe(400);
    expect(validateError(query.body), JSON.stringify(validateError.errors)).toBe(true);
    expect(query.body.problems.map((problem: any) => problem.path)).toEqual(['limit', 'sort']);
    expect(query.body.error).toMatch(/^limit: .*; sort: /);

    const comment = await fetch(`${api.server.url}/api/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ parentId: 'one' }),
    });
    expect(comment.status).toBe(400);
    expect((await comment.json()).problems.map((problem: any) => problem.path)).toEqual([
      'paperId',
      'parentId',
      'body',
    ]);
  });

  it.each([
    ['/api/daily_papers', '', 200],
    ['/api/daily_papers', '?date=2026-11-27&sort=trending', 200],
    ['/api/daily_papers', '?week=2026-W60', 400],
    ['/api/papers/search', '?q=things', 200],
    ['/api/papers/search', '?limit=-1', 400],
    ['/api/papers/{id}', 'PAPER', 200],
    ['/api/papers/{id}', '2301.99999', 404],
    ['/api/papers/{id}', 'bogus', 400],
    ['/api/papers/{id}/similar', '2301.99999', 404],
    ['/api/papers/{id}/similar', 'bogus', 400],
    ['/api/openapi.json', '', 200],
  ])('answers %s%s with a %i whose body matches the document', async (path, suffix, status) => {
    const url = path.includes('{id}')
      ? path.replace('{id}', suffix === 'PAPER' ? paperId : suffix)
      : `${path}${suffix}`;
    const response = await getJson(`${api.server.url}${url}`);
    expect(response.status).toBe(status);
    const declared = doc.paths[path].get.responses[String(status)];
    expect(declared, `${path} declares ${status}`).toBeDefined();
    const validate = ajv.getSchema(
      `${DOC_ID}#/${pointer('paths', path, 'get', 'responses', String(status), 'content', 'application/json', 'schema')}`,
    )!;
    expect(validate(response.body), JSON.stringify(validate.errors)).toBe(true);
    if (status === 200 && Array.isArray(response.body) && path !== '/api/openapi.json')
      expect(response.body.length).toBeGreaterThan(0);
  });

  it('declares the Markdown route as text/markdown, as served', async () => {
    const response = await fetch(`${api.server.url}/papers/${paperId}.md`);
    expect(response.headers.get('content-type')).toContain('text/markdown');
    expect(Object.keys(doc.paths['/papers/{id}.md'].get.responses['200'].content)).toEqual(['text/markdown']);
  });
});
