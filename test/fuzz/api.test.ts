import { describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/db.js';
import { SeededRandom } from '../helpers/random.js';
import { WebClient } from '../helpers/web-client.js';
import { apiTokenFor, signedUp, storedPaper } from '../community/fixtures.js';
import {
  BROKEN_ENCODINGS,
  deepJson,
  HOSTILE_CATEGORIES,
  hostileText,
  hostileValue,
  HUGE_TEXT,
  percentEncode,
  type HostileCategory,
} from './hostile.js';
import { expectSiteStillWorks, sendAndRecord, serveFuzzedSite, type ServerFailure } from './site.js';

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minimum?: number;
  anyOf?: JsonSchema[];
};
interface Parameter {
  name: string;
  in: 'path' | 'query';
  schema: JsonSchema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
}

const SEED = 1104;
/** Requests per operation beyond the sweep (every input × every kind of hostile text), with hostile values anywhere. */
const RANDOM_VARIANTS = 8;
/** The target naming the JSON document as a whole (deep nesting, broken bytes, truncation, the wrong type). */
const WHOLE_BODY = '(body)';

/** Ids that exist, so some requests get past "not found" into the code behind it. */
interface Known {
  paperId: string;
  commentId: number;
}

/** One request to send: which input is hostile (null: any mix of them) and with which kind of text. */
interface Variant {
  target: string | null;
  category?: HostileCategory;
}

/** A plausible value for a schema, so a request can be hostile in one place and valid elsewhere. */
function plausible(schema: JsonSchema, name: string, known: Known): unknown {
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return plausible(schema.anyOf[0]!, name, known);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer' || type === 'number') return /id$/i.test(name) ? known.commentId : (schema.minimum ?? 1);
  if (type === 'boolean') return true;
  if (type === 'array') return [plausible(schema.items ?? {}, name, known)];
  if (type === 'object') {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, plausible(s, k, known)]));
  }
  return /paper|^id$/i.test(name) ? known.paperId : 'attention';
}

/** A path or query value: hostile text (now and then too long for a URL), broken encoding, or a plausible one. */
function urlValue(
  random: SeededRandom,
  parameter: Parameter,
  known: Known,
  hostile: boolean,
  category?: HostileCategory,
): string {
  if (!hostile) return percentEncode(String(plausible(parameter.schema, parameter.name, known)));
  if (!category && random.next() < 0.2) return random.pick(BROKEN_ENCODINGS);
  const text = hostileText(random, category);
  return percentEncode(random.next() < 0.05 ? text : text.slice(0, 2_000));
}

/** A document that is hostile as a whole: 10,000 levels deep, not UTF-8, cut short, or of the wrong type. */
function hostileDocument(random: SeededRandom): string | Uint8Array<ArrayBuffer> {
  return random.pick<() => string | Uint8Array<ArrayBuffer>>([
    () => deepJson(10_000),
    () => Uint8Array.from(Buffer.concat([Buffer.from('{"body":"'), Buffer.from([0xff, 0xc0]), Buffer.from('"}')])),
    () => '{"paperId": "2501.',
    () => JSON.stringify(hostileValue(random)),
    () => JSON.stringify({ 'b\u0000ad': 1, body: HUGE_TEXT }),
  ])();
}

/** The operation's JSON body with the variant's field hostile and the others plausible. */
function jsonBody(
  random: SeededRandom,
  schema: JsonSchema,
  known: Known,
  variant: Variant,
): string | Uint8Array<ArrayBuffer> {
  if (variant.target === WHOLE_BODY) return hostileDocument(random);
  const fields = Object.entries(schema.properties ?? {}).map(([name, s]) => {
    const hostile = variant.target === null ? random.next() < 0.5 : name === variant.target;
    return [name, hostile ? hostileValue(random, variant.category) : plausible(s, name, known)];
  });
  return JSON.stringify(Object.fromEntries(fields));
}

/** Every input of an operation against every kind of hostile text, then some random mixes. */
function variantsOf(op: Operation, random: SeededRandom): Variant[] {
  const schema = op.requestBody?.content['application/json']?.schema;
  const fields = Object.keys(schema?.properties ?? {});
  const inputs = [...(op.parameters ?? []).map((p) => p.name), ...fields];
  const sweep = inputs.flatMap((target) => HOSTILE_CATEGORIES.map((category): Variant => ({ target, category })));
  const mixes = Array.from(
    { length: RANDOM_VARIANTS + (schema ? 4 : 0) },
    (): Variant => ({
      target: schema && random.next() < 0.3 ? WHOLE_BODY : null,
    }),
  );
  return [...sweep, ...(schema ? [{ target: WHOLE_BODY }] : []), ...mixes];
}

describe.each(testDatabases())('fuzzing every OpenAPI operation on $dialect', ({ create }) => {
  const ctx = serveFuzzedSite(create);

  it('answers every input of every operation, hostile in turn, without a 5xx; the site still works', async () => {
    const paper = await storedPaper(ctx.db);
    await storedPaper(ctx.db, { id: 'hep-th/9901001' });
    const member = await signedUp(ctx.db, ctx.server.url);
    const token = await apiTokenFor(member);
    const first = { paperId: paper.id, body: 'First.' };
    const posted = await member.json('POST', '/api/comments', first, { 'x-csrf-token': member.csrfToken });
    expect(posted.status).toBe(201);
    const known: Known = { paperId: paper.id, commentId: posted.body.id };
    const document = (await new WebClient(ctx.server.url).json('GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    expect(operations.length).toBeGreaterThan(10);

    const random = new SeededRandom(SEED);
    const failures: ServerFailure[] = [];
    const statuses = new Set<number>();
    for (const { path, method, op } of operations) {
      for (const variant of variantsOf(op, random)) {
        const parameters = op.parameters ?? [];
        const hostile = (p: Parameter) => p.name === variant.target || (variant.target === null && random.next() < 0.3);
        let url = path;
        for (const p of parameters.filter((p) => p.in === 'path')) {
          url = url.replace(`{${p.name}}`, urlValue(random, p, known, hostile(p), variant.category));
        }
        const query = parameters
          .filter((p) => p.in === 'query' && (p.name === variant.target || random.next() < 0.4))
          .flatMap((p) => {
            const times = variant.target === null && random.next() < 0.2 ? 2 : 1;
            const value = () => urlValue(random, p, known, hostile(p), variant.category);
            return Array.from({ length: times }, () => `${p.name}=${value()}`);
          });
        if (query.length > 0) url += `?${query.join('&')}`;
        const schema = op.requestBody?.content['application/json']?.schema;
        const payload = schema ? jsonBody(random, schema, known, variant) : undefined;
        const headers: Record<string, string> = { accept: 'application/json' };
        if (payload !== undefined) headers['content-type'] = 'application/json';
        if (random.next() < (op.security ? 0.9 : 0.15)) headers.authorization = `Bearer ${token}`;
        const sent = payload === undefined ? '' : Buffer.from(payload).toString().slice(0, 200);
        const label = `seed ${SEED} ${method} ${url} ${sent}`;
        const response = await sendAndRecord(failures, label, ctx.server.url + url, { method, headers, body: payload });
        if (response) statuses.add(response.status);
      }
    }
    // What the fuzz stored (comments of hostile Markdown and LaTeX among them) must still show.
    for (const page of [`/papers/${paper.id}`, `/api/comments?paper=${paper.id}`, `/api/papers/${paper.id}`, '/']) {
      const headers = { authorization: `Bearer ${token}` };
      await sendAndRecord(failures, `after the fuzz run: GET ${page}`, ctx.server.url + page, { headers });
    }
    expect(failures).toEqual([]);
    // The run reached handlers, not only the edge: some requests succeeded, some were refused.
    expect([...statuses]).toEqual(expect.arrayContaining([200, 201, 400, 404]));
    await expectSiteStillWorks(ctx.db, ctx.server);
  });
});
