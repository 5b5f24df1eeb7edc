import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { featurePapers } from '../factories/papers.js';
import { testDatabases } from '../helpers/db.js';
import { serveFreshDatabase } from '../helpers/server.js';
import { getJson } from './fixtures.js';

const DOC_ID = 'https://dailypapers.test/openapi.json';
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

describe.each(testDatabases())('GET /api/openapi.json on $dialect', ({ create }) => {
  let doc: any;
  let paperId: string;
  let ajv: Ajv2020;
  const api = serveFreshDatabase(create, async (db) => {
    [paperId] = await featurePapers(db, [{ day: '2026-11-27', record: { abstract: 'See https://github.com/acme/tool.' } }]);
  });

  beforeAll(async () => {
    const response = await getJson(`${api.server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    doc = response.body;
    // The document's own schemas validate the answers below; OpenAPI's other keys are not JSON Schema.
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: DOC_ID });
  });

  const parameterNames = (path: string) => doc.paths[path].get.parameters.map((p: any) => `${p.in}:${p.name}${p.required ? '!' : ''}`);

  it('is OpenAPI 3.1 and lists every route with its parameters', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: api.server.ctx.config.BASE_URL }]);
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/daily_papers', '/api/openapi.json', '/api/papers/search', '/api/papers/{id}', '/api/papers/{id}/similar', '/papers/{id}.md']);
    expect(parameterNames('/api/daily_papers')).toEqual(['query:date', 'query:week', 'query:month', 'query:p', 'query:limit', 'query:sort', 'query:submitter']);
    expect(parameterNames('/api/papers/search')).toEqual(['query:q', 'query:mode', 'query:from', 'query:to', 'query:category', 'query:author', 'query:sort', 'query:limit', 'query:p', 'query:offset']);
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
    expect(sort.schema).toEqual({ type: 'string', enum: ['upvotes', 'trending', 'publishedAt'] });
    for (const parameter of Object.values(doc.paths).flatMap((path: any) => path.get.parameters)) {
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
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Author', 'DailyPaper', 'DailyPaperList', 'Error', 'Paper', 'User']);
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
    const url = path.includes('{id}') ? path.replace('{id}', suffix === 'PAPER' ? paperId : suffix) : `${path}${suffix}`;
    const response = await getJson(`${api.server.url}${url}`);
    expect(response.status).toBe(status);
    const declared = doc.paths[path].get.responses[String(status)];
    expect(declared, `${path} declares ${status}`).toBeDefined();
    const validate = ajv.getSchema(`${DOC_ID}#/${pointer('paths', path, 'get', 'responses', String(status), 'content', 'application/json', 'schema')}`)!;
    expect(validate(response.body), JSON.stringify(validate.errors)).toBe(true);
    if (status === 200 && Array.isArray(response.body) && path !== '/api/openapi.json') expect(response.body.length).toBeGreaterThan(0);
  });

  it('declares the Markdown route as text/markdown, as served', async () => {
    const response = await fetch(`${api.server.url}/papers/${paperId}.md`);
    expect(response.headers.get('content-type')).toContain('text/markdown');
    expect(Object.keys(doc.paths['/papers/{id}.md'].get.responses['200'].content)).toEqual(['text/markdown']);
  });
});
