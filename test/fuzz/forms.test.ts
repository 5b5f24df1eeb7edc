import { authorPath } from '../../src/web/templates/author-links.js';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/db.js';
import { SeededRandom } from '../helpers/random.js';
import { WebClient } from '../helpers/web-client.js';
import { apiTokenFor, signedUp, storedPaper, type Member } from '../community/fixtures.js';
import { BROKEN_ENCODINGS, HOSTILE_CATEGORIES, hostileText, percentEncode, type HostileCategory } from './hostile.js';
import { expectSiteStillWorks, record, serveFuzzedSite, type ServerFailure } from './site.js';

const SEED = 1211;
/** Kinds of hostile text every field gets; each field also gets a few other kinds, drawn from the seed. */
const ALWAYS: HostileCategory[] = ['nul', 'control', 'surrogates', 'latex'];
const DRAWN_PER_FIELD = 3;
const FORM_TYPE = 'application/x-www-form-urlencoded';
/** Every field of every form (about 12 s alone here): room for a full suite running beside it on 2 cores. */
const FUZZ_TIMEOUT_MS = 120_000;

interface Form {
  /** The page it was found on, and whether it was served to a signed-out visitor. */
  page: string;
  anonymous: boolean;
  method: 'GET' | 'POST';
  action: string;
  /** Field names and the values the page filled in (a button's value for buttons, empty for text). */
  fields: [string, string][];
}

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
const ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const unescapeHtml = (text: string) => text.replace(/&(quot|#39|lt|gt|amp);/g, (entity) => ENTITIES[entity]!);

/** The forms of a page as a browser would submit them. */
function formsOf(html: string, page: string, anonymous: boolean): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, attributes, inner]) => {
    const fields = new Map<string, string>();
    for (const [tag] of inner!.matchAll(/<(?:input|textarea|select|button)\b[^>]*>/g)) {
      const name = attribute(tag, 'name');
      if (name && !fields.has(name)) fields.set(name, unescapeHtml(attribute(tag, 'value') ?? ''));
    }
    const method = (attribute(` ${attributes}`, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
    const action = unescapeHtml(attribute(` ${attributes}`, 'action') ?? page);
    return { page, anonymous, method, action, fields: [...fields] };
  });
}

/** A value a member would type into an empty field, so one hostile field meets plausible others. */
function plausible(name: string, value: string, paperId: string, n: number): string {
  if (value) return value;
  const typed: Record<string, string> = {
    email: `fuzz${n}@example.org`,
    username: `fuzzer${n}`,
    password: 'fuzz-password-1',
    paper: paperId,
    body: 'A comment.',
    q: 'attention',
    name: 'laptop',
    reason: 'testing',
    topics: 'transformers',
    token: 'dp_nothing',
  };
  return typed[name] ?? 'x';
}

function encodeForm(fields: [string, string][]): string {
  return fields.map(([name, value]) => `${percentEncode(name)}=${value}`).join('&');
}

describe.each(testDatabases())('fuzzing every HTML form on $dialect', ({ create }) => {
  const ctx = serveFuzzedSite(create);

  it(
    'answers every field of every form, hostile in turn, without a 5xx; the site still works',
    async () => {
      const paper = await storedPaper(ctx.db);
      const moderator = await signedUp(ctx.db, ctx.server.url, 'moderator');
      await apiTokenFor(moderator);
      const author = await signedUp(ctx.db, ctx.server.url);
      const commented = await author.post('/comments', { paper: paper.id, body: 'A first comment.' });
      const commentId = /#comment-(\d+)$/.exec(commented.headers.get('location') ?? '')?.[1];
      expect(commentId).toBeDefined();

      const memberPages = [
        '/',
        '/submit',
        '/account',
        `/papers/${paper.id}`,
        '/search?q=attention',
        '/moderation',
        '/papers/trending',
        '/for-you',
        authorPath(paper.authors[0]!.name),
        '/library',
      ];
      const anonymousPages = ['/login', '/signup', '/subscribe'];
      const forms: Form[] = [];
      for (const [client, pages] of [
        [moderator, memberPages],
        [author, [`/comments/${commentId}/edit`]],
      ] as const) {
        for (const page of pages) {
          forms.push(...formsOf((await client.page(page)).html, page, false).map((f) => ({ ...f, client })));
        }
      }
      for (const page of anonymousPages) {
        forms.push(...formsOf((await new WebClient(ctx.server.url).page(page)).html, page, true));
      }
      // Logging out would end the session the other forms are sent with.
      const byAction = new Map(forms.filter((f) => f.action !== '/logout').map((f) => [`${f.method} ${f.action}`, f]));
      const unique = [...byAction.values()];
      const actions = [
        '/login',
        '/signup',
        '/comments',
        '/vote',
        '/submit',
        '/moderation/users',
        '/library/save',
        '/collections',
      ];
      expect(unique.map((f) => f.action)).toEqual(expect.arrayContaining(actions));

      const random = new SeededRandom(SEED);
      const failures: ServerFailure[] = [];
      let n = 0;
      for (const form of unique as (Form & { client?: Member })[]) {
        const names = form.fields.map(([name]) => name).filter((name) => name !== '_csrf');
        const variants: { target: string | null; category?: HostileCategory }[] = [
          ...names.flatMap((target) => {
            const drawn = Array.from({ length: DRAWN_PER_FIELD }, () => random.pick(HOSTILE_CATEGORIES));
            return [...ALWAYS, ...drawn].map((category) => ({ target, category }));
          }),
          { target: null },
          { target: null },
        ];
        for (const variant of variants) {
          n++;
          // A signed-out visitor gets a fresh page (and CSRF cookie) each time, as a sign-up would replace the session.
          const client = form.client ?? new WebClient(ctx.server.url);
          if (!form.client) await client.page(form.page);
          const fields: [string, string][] = form.fields.map(([name, value]) => {
            if (name === '_csrf') return [name, percentEncode(client.csrfToken)];
            const hostile = name === variant.target || (variant.target === null && random.next() < 0.5);
            if (!hostile) return [name, percentEncode(plausible(name, value, paper.id, n))];
            if (!variant.category && random.next() < 0.2) return [name, random.pick(BROKEN_ENCODINGS)];
            return [name, percentEncode(hostileText(random, variant.category))];
          });
          // A field sent twice arrives as a list, which no handler expects.
          if (variant.target === null)
            fields.push(...fields.filter(([name]) => name !== '_csrf' && random.next() < 0.3));
          const encoded = encodeForm(fields);
          const label = `seed ${SEED} ${form.method} ${form.action} ${encoded.slice(0, 200)}`;
          await record(failures, label, () =>
            form.method === 'GET'
              ? client.request('GET', `${form.action}?${encoded.slice(0, 8_000)}`)
              : client.request('POST', form.action, { body: encoded, headers: { 'content-type': FORM_TYPE } }),
          );
        }
      }
      for (const page of [...memberPages, `/api/comments?paper=${paper.id}`]) {
        await record(failures, `after the fuzz run: GET ${page}`, () => moderator.request('GET', page));
      }
      expect(failures).toEqual([]);
      await expectSiteStillWorks(ctx.db, ctx.server);
    },
    FUZZ_TIMEOUT_MS,
  );
});
