import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import type { Db } from '../../db/connection.js';
import { getHarvest, isComplete, recordHarvestPage, startHarvest } from '../../store/harvests.js';
import { getPaper, getPapers, listFeatured, upsertPapers, type Paper } from '../../store/papers.js';
import { paperRecord } from '../../../test/factories/papers.js';
import {
  OAI_FIXTURES,
  oaiPages,
  startArxivServer,
  xmlFile,
  fixture,
  type ArxivReply,
  type ArxivServer,
} from '../../../test/helpers/arxiv-server.js';
import { testDatabases } from '../../../test/helpers/db.js';
import { captureLogs } from '../../../test/helpers/logs.js';
import { oaiListPage, oaiRecord } from '../../../test/helpers/oai-listing.js';
import { ArxivRequestError } from './client.js';
import { HarvestError, harvestWindow, type HarvestOptions } from './harvest.js';
import { OaiError } from './oai.js';
import { OFF_THREAD_MIN_CHARS } from './oai-parser.js';
import { ArxivFormatError } from './xml.js';

const WINDOW = { set: 'cs', from: '2025-11-04', until: '2025-11-04' };
const PAGE_1_IDS = ['2511.01001', '2511.01002'];
const PAGE_2_IDS = ['2401.05555', '2511.01004'];
const ALL_IDS = [...PAGE_1_IDS, ...PAGE_2_IDS, '2511.01005'];
const TOKEN_2 = '7125831|1001';
const TOKEN_3 = '7125831|2001';

/** The three-page cs listing of 2025-11-04, with any page replaced. */
function listing(replace: Record<string, ArxivReply> = {}) {
  return oaiPages({
    '': xmlFile(`${OAI_FIXTURES}/list-page1.xml`),
    [TOKEN_2]: xmlFile(`${OAI_FIXTURES}/list-page2.xml`),
    [TOKEN_3]: xmlFile(`${OAI_FIXTURES}/list-page3.xml`),
    ...replace,
  });
}

/** Three ListRecords pages, each large enough to be parsed on the worker thread, and the ids on each. */
function largeListing(): { pages: Record<string, ArxivReply>; ids: string[][] } {
  const perPage = Math.ceil(OFF_THREAD_MIN_CHARS / 1500);
  const ids = [0, 1, 2].map((page) => Array.from({ length: perPage }, (_, i) => `2511.${30000 + page * perPage + i}`));
  const tokens = ['', 'large|2', 'large|3'];
  const pages = Object.fromEntries(
    ids.map((pageIds, page) => {
      const records = pageIds.map((id) =>
        oaiRecord({
          id,
          title: `Paper ${id}`,
          abstract: `An abstract ${'long enough '.repeat(120)}for ${id}.`,
          authors: ['Ada Lovelace'],
          categories: ['cs.LG'],
          published: '2025-11-04',
        }),
      );
      const body = oaiListPage(records, {
        cursor: page * perPage,
        completeListSize: perPage * 3,
        nextToken: tokens[page + 1] ?? null,
      });
      return [tokens[page]!, { body }];
    }),
  );
  return { pages, ids };
}

describe.each(testDatabases())('arXiv OAI-PMH harvest on $dialect', ({ create }) => {
  let db: Db;
  let server: ArxivServer;
  let logs: ReturnType<typeof captureLogs>;

  beforeEach(async () => {
    db = await create();
    server = await startArxivServer(listing());
    logs = captureLogs();
  });
  afterEach(async () => {
    await server.close();
    await db.close();
  });

  const harvest = (options: HarvestOptions = {}, signal?: AbortSignal) =>
    harvestWindow(
      {
        db,
        logger: logs.logger,
        signal,
        config: loadConfig({
          ARXIV_OAI_URL: server.oaiUrl,
          ARXIV_DELAY_MS: '0',
          ARXIV_BACKOFF_MS: '5',
          ARXIV_RETRIES: '1',
          ARXIV_TIMEOUT_MS: '400',
          ARXIV_STALL_MS: '200',
        }),
      },
      WINDOW,
      options,
    );
  const storedIds = async () =>
    (await db.kysely.selectFrom('papers').select('id').orderBy('id').execute()).map((r) => r.id);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable('the harvest should have failed'),
      (e: unknown) => e as HarvestError,
    );

  it('follows resumption tokens through every page and stores complete papers', async () => {
    const summary = await harvest();
    expect(summary).toMatchObject({
      outcome: 'harvested',
      resumed: false,
      pages: 3,
      records: 5,
      inserted: 5,
      updated: 0,
      skipped: 0,
    });
    expect(server.requests.map((r) => Object.fromEntries(r.query))).toEqual([
      { verb: 'ListRecords', metadataPrefix: 'arXiv', from: '2025-11-04', until: '2025-11-04', set: 'cs' },
      { verb: 'ListRecords', resumptionToken: TOKEN_2 },
      { verb: 'ListRecords', resumptionToken: TOKEN_3 },
    ]);
    expect(await storedIds()).toEqual([...ALL_IDS].sort());
    expect(await getPaper(db, '2511.01001')).toMatchObject({
      title: 'Sparse attention with $O(n \\log n)$ memory for long-context transformers',
      authors: [
        { name: 'Ada Lovelace', affiliation: 'Analytical Engines Ltd' },
        { name: 'Alan M. Turing', affiliation: 'University of Manchester; Bletchley Park' },
      ],
      categories: ['cs.LG', 'cs.CL', 'stat.ML'],
      primaryCategory: 'cs.LG',
      publishedOn: '2025-11-03',
      version: 1,
      githubUrl: 'https://github.com/example/sparse-attn',
      license: 'http://creativecommons.org/licenses/by/4.0/',
      featuredOn: null,
    });
    expect(await getPaper(db, '2401.05555')).toMatchObject({
      version: 2,
      publishedOn: '2024-01-10',
      revisedOn: '2025-11-03',
      versions: [
        { version: 1, date: '2024-01-10' },
        { version: 2, date: '2025-11-03' },
      ],
      doi: '10.1145/3729999.3730000',
      journalRef: 'Proc. PLDI 2025, pp. 1-14',
    });
    expect((await getPaper(db, '2511.01004'))?.title).toBe(
      'A mathematical theory of <script>alert(1)</script> communication',
    );
    const checkpoint = await getHarvest(db, WINDOW);
    expect(checkpoint).toMatchObject({
      status: 'done',
      resumptionToken: null,
      pages: 3,
      records: 5,
      completeListSize: 5,
      lastError: null,
    });
    expect(isComplete(checkpoint!)).toBe(true);
  });

  it('re-running a finished window asks nothing and changes nothing; --force asks again and still changes nothing', async () => {
    await harvest();
    const before = await getPapers(db, ALL_IDS);
    expect(await harvest()).toMatchObject({ outcome: 'already-complete', pages: 0, records: 0 });
    expect(server.requests).toHaveLength(3);
    const forced = await harvest({ force: true });
    expect(forced).toMatchObject({ outcome: 'harvested', pages: 3, records: 5, inserted: 0, updated: 0, unchanged: 5 });
    expect(server.requests).toHaveLength(6);
    expect(await getPapers(db, ALL_IDS)).toEqual(before);
  });

  it('a harvest that fails mid-way keeps what it stored, checkpoints it, and a resumed run ends with exactly the right papers', async () => {
    const bystander = paperRecord();
    await upsertPapers(db, [bystander]);
    server.respond(listing({ [TOKEN_2]: { status: 500, body: 'internal error' } }));
    const error = await failure(harvest());
    expect(error).toBeInstanceOf(HarvestError);
    expect(error).toMatchObject({ page: 2, url: expect.stringContaining('resumptionToken=7125831%7C1001') });
    expect(error.message).toMatch(
      /^arXiv harvest of cs 2025-11-04\.\.2025-11-04 stopped at page 2: HTTP 500; gave up after 2 attempts/,
    );
    expect(await storedIds()).toEqual([bystander.id, ...PAGE_1_IDS].sort());
    expect(await getHarvest(db, WINDOW)).toMatchObject({
      status: 'failed',
      resumptionToken: TOKEN_2,
      pages: 1,
      records: 2,
      lastError: error.message,
    });

    server.respond(listing());
    const before = server.requests.length;
    const resumed = await harvest();
    expect(resumed).toMatchObject({ resumed: true, pages: 2, records: 3, inserted: 3 });
    expect(Object.fromEntries(server.requests[before]!.query)).toEqual({
      verb: 'ListRecords',
      resumptionToken: TOKEN_2,
    });
    expect(await storedIds()).toEqual([bystander.id, ...ALL_IDS].sort());
    expect(await getHarvest(db, WINDOW)).toMatchObject({ status: 'done', pages: 3, records: 5 });
  });

  it('an aborted harvest stops at once and resumes from its last stored page', async () => {
    const abort = new AbortController();
    const error = await failure(harvest({ onPage: ({ pages }) => pages === 1 && abort.abort() }, abort.signal));
    expect(error.cause).toBeInstanceOf(ArxivRequestError);
    expect(error.cause).toMatchObject({ failure: 'aborted' });
    expect(await storedIds()).toEqual([...PAGE_1_IDS].sort());
    expect(await getHarvest(db, WINDOW)).toMatchObject({ status: 'failed', resumptionToken: TOKEN_2 });
    expect(await harvest()).toMatchObject({ resumed: true, pages: 2 });
    expect(await storedIds()).toEqual([...ALL_IDS].sort());
  });

  const page2Failures: Array<[string, ArxivReply, new (...args: never[]) => Error, RegExp]> = [
    [
      'an OAI badResumptionToken error',
      xmlFile(`${OAI_FIXTURES}/error-badResumptionToken.xml`),
      OaiError,
      /badResumptionToken: The value of the resumptionToken argument is invalid or expired/,
    ],
    [
      'a 200 answer with an HTML error page',
      { body: fixture(`${OAI_FIXTURES}/html-error.html`), headers: { 'content-type': 'text/html' } },
      ArxivFormatError,
      /expected an XML <OAI-PMH> document but got an HTML page/,
    ],
    [
      'truncated XML',
      xmlFile(`${OAI_FIXTURES}/list-page2-truncated.xml`),
      ArxivFormatError,
      /malformed or truncated XML at line \d+/,
    ],
    [
      'a connection reset mid-body',
      { resetAfter: 700, body: fixture(`${OAI_FIXTURES}/list-page2.xml`) },
      ArxivRequestError,
      /mid-body|socket hang up|ECONNRESET/,
    ],
    ['a response that never ends', { trickleEveryMs: 20 }, ArxivRequestError, /no complete answer within 400 ms/],
    [
      'a body that stalls',
      { stallAfter: 500, body: fixture(`${OAI_FIXTURES}/list-page2.xml`) },
      ArxivRequestError,
      /body stalled: no data for 200 ms/,
    ],
    [
      'a page that repeats the token it was asked with',
      xmlFile(`${OAI_FIXTURES}/list-page1.xml`),
      ArxivFormatError,
      /answered with the resumption token it was asked with/,
    ],
    [
      'a 503 asking to come back in a day',
      { status: 503, headers: { 'retry-after': '86400' }, body: 'busy' },
      ArxivRequestError,
      /Retry-After of 86400000 ms exceeds/,
    ],
  ];

  it.each(page2Failures)(
    '%s on page 2: logs what and where, keeps the checkpoint at page 1, changes nothing stored',
    async (_what, reply, causeType, reason) => {
      const bystander = paperRecord({ title: 'Stored before the harvest' });
      await upsertPapers(db, [bystander]);
      const [before] = await getPapers(db, [bystander.id]);
      server.respond(listing({ [TOKEN_2]: reply }));

      const error = await failure(harvest());
      expect(error).toBeInstanceOf(HarvestError);
      expect(error.cause).toBeInstanceOf(causeType);
      expect(error.message).toMatch(reason);
      expect(error.message).toContain('stopped at page 2');

      // Upstream failing is one warning line without a stack trace; an answer we cannot read is an error with its cause.
      const logged = logs.atLeast(40).filter((entry) => entry.msg === error.message);
      expect(logged).toHaveLength(1);
      const upstream = causeType === ArxivRequestError;
      expect('err' in logged[0]!).toBe(!upstream);
      expect(logged[0]).toMatchObject({
        level: upstream ? 40 : 50,
        set: 'cs',
        from: '2025-11-04',
        until: '2025-11-04',
        page: 2,
        url: expect.stringContaining('resumptionToken=7125831%7C1001'),
        msg: error.message,
      });
      expect(await getHarvest(db, WINDOW)).toMatchObject({
        status: 'failed',
        resumptionToken: TOKEN_2,
        pages: 1,
        records: 2,
      });
      expect(await storedIds()).toEqual([bystander.id, ...PAGE_1_IDS].sort());
      expect(await getPapers(db, [bystander.id])).toEqual([before as Paper]);
    },
  );

  it('a bad argument on the first page stores nothing and leaves no token', async () => {
    server.respond(() => xmlFile(`${OAI_FIXTURES}/error-badArgument.xml`));
    const error = await failure(harvest());
    expect(error.cause).toMatchObject({ code: 'badArgument' });
    expect(error.message).toMatch(/stopped at page 1: OAI-PMH error badArgument: Illegal set value/);
    expect(await storedIds()).toEqual([]);
    expect(await getHarvest(db, WINDOW)).toMatchObject({ status: 'failed', resumptionToken: null, pages: 0 });
  });

  it('a checkpoint token that upstream no longer accepts restarts the window from its first page', async () => {
    await startHarvest(db, WINDOW, true);
    await recordHarvestPage(db, WINDOW, { resumptionToken: 'expired|42', pages: 1, records: 2, completeListSize: 5 });
    const summary = await harvest();
    expect(summary).toMatchObject({ outcome: 'harvested', pages: 3, records: 5 });
    expect(server.requests.map((r) => r.query.get('resumptionToken'))).toEqual(['expired|42', null, TOKEN_2, TOKEN_3]);
    expect(logs.atLeast(40)).toMatchObject([
      { level: 40, msg: expect.stringContaining('no longer accepted; harvesting the window from its first page') },
    ]);
    expect(await storedIds()).toEqual([...ALL_IDS].sort());
    expect(await getHarvest(db, WINDOW)).toMatchObject({ status: 'done', pages: 3, records: 5 });
  });

  it('an empty window (noRecordsMatch) completes with nothing stored', async () => {
    server.respond(() => xmlFile(`${OAI_FIXTURES}/error-noRecordsMatch.xml`));
    expect(await harvest()).toMatchObject({ outcome: 'harvested', pages: 1, records: 0 });
    expect(await getHarvest(db, WINDOW)).toMatchObject({ status: 'done', records: 0 });
    expect(await harvest()).toMatchObject({ outcome: 'already-complete' });
  });

  it('skips records without id or title with a warning naming each, and stores the rest', async () => {
    server.respond(() => xmlFile(`${OAI_FIXTURES}/list-bad-records.xml`));
    expect(await harvest()).toMatchObject({ records: 1, skipped: 4, inserted: 1 });
    expect(await storedIds()).toEqual(['2511.01005']);
    expect(logs.atLeast(40).map((e) => [e.msg, e.page, e.identifier, e.reason])).toEqual([
      ['skipped an arXiv record', 1, 'oai:arXiv.org:2511.09001', 'missing id'],
      ['skipped an arXiv record', 1, '2511.09002', 'missing title'],
      ['skipped an arXiv record', 1, 'oai:arXiv.org:not-an-id', 'malformed id "not an arXiv id"'],
      ['skipped an arXiv record', 1, 'oai:arXiv.org:2511.09003', 'deleted upstream'],
    ]);
  });

  it('features new submissions on the day they were announced, not revisions of old papers', async () => {
    expect(await harvest({ feature: true })).toMatchObject({ newSubmissions: 4 });
    const featured = await listFeatured(db, { from: '2025-11-04', to: '2025-11-04' });
    expect(featured.map((p) => p.id).sort()).toEqual(['2511.01001', '2511.01002', '2511.01004', '2511.01005']);
    expect((await getPaper(db, '2401.05555'))?.featuredOn).toBeNull();
  });

  it('a revision bumps the stored version; an older snapshot never overwrites a newer stored one', async () => {
    await upsertPapers(db, [
      paperRecord({ id: '2401.05555', title: 'Compilers for everyone', publishedOn: '2024-01-10' }),
    ]);
    await harvest();
    expect(await getPaper(db, '2401.05555')).toMatchObject({ version: 2, title: 'Compilers for everyone (revised)' });

    await upsertPapers(db, [
      paperRecord({
        id: '2401.05555',
        title: 'Compilers for everyone, third edition',
        publishedOn: '2024-01-10',
        revisedOn: '2025-12-01',
        version: 3,
      }),
    ]);
    expect(await harvest({ force: true })).toMatchObject({ unchanged: 5 });
    expect(await getPaper(db, '2401.05555')).toMatchObject({
      version: 3,
      title: 'Compilers for everyone, third edition',
    });
  });

  it('harvests large pages (parsed off the main thread while the previous one is stored) completely, in order', async () => {
    const { pages, ids } = largeListing();
    expect((pages[''] as { body: string }).body.length).toBeGreaterThanOrEqual(OFF_THREAD_MIN_CHARS);
    server.respond(oaiPages(pages));
    const all = ids.flat();
    expect(await harvest()).toMatchObject({
      outcome: 'harvested',
      pages: 3,
      records: all.length,
      inserted: all.length,
    });
    expect(server.requests.map((r) => r.query.get('resumptionToken'))).toEqual([null, 'large|2', 'large|3']);
    expect(await storedIds()).toEqual([...all].sort());
    expect(await getPaper(db, all[0]!)).toMatchObject({
      title: `Paper ${all[0]}`,
      authors: [{ name: 'Ada Lovelace' }],
      categories: ['cs.LG'],
    });
    expect(await getHarvest(db, WINDOW)).toMatchObject({ status: 'done', pages: 3, records: all.length });
  });

  it('a malformed large page stops the harvest with the parser error; the pages before it stay stored and checkpointed', async () => {
    const { pages, ids } = largeListing();
    const good = (pages['large|2'] as { body: string }).body;
    server.respond(oaiPages({ ...pages, 'large|2': { body: good.slice(0, -300) } }));
    const error = await failure(harvest());
    expect(error.cause).toBeInstanceOf(ArxivFormatError);
    expect(error.message).toMatch(/stopped at page 2: malformed or truncated XML at line \d+/);
    expect(await storedIds()).toEqual([...ids[0]!].sort());
    expect(await getHarvest(db, WINDOW)).toMatchObject({
      status: 'failed',
      resumptionToken: 'large|2',
      pages: 1,
      records: ids[0]!.length,
    });

    server.respond(oaiPages(pages));
    expect(await harvest()).toMatchObject({ resumed: true, pages: 2, records: ids[1]!.length + ids[2]!.length });
    expect(await storedIds()).toEqual(ids.flat().sort());
  });

  it('refuses a window that ends before it starts', async () => {
    await expect(
      harvestWindow(
        { db, logger: logs.logger, config: loadConfig({}) },
        { set: 'cs', from: '2025-11-05', until: '2025-11-04' },
      ),
    ).rejects.toThrow('harvest window starts after it ends: 2025-11-05 > 2025-11-04');
  });
});
