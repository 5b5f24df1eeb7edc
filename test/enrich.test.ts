import { describe, expect, it } from 'vitest';
import { enrichOffThread, enrichPendingPapers } from '../src/enrich/job.js';
import { MAX_KEYWORDS, MIN_KEYWORDS } from '../src/enrich/keywords.js';
import { upsertPapers } from '../src/store/papers.js';
import { featurePapers, paperRecord } from './factories/papers.js';
import { getJson } from './api/fixtures.js';
import { freshSqlite, testDatabases } from './helpers/db.js';
import { runCli } from './helpers/cli.js';
import { getPage } from './helpers/pages.js';
import { serveFreshDatabase } from './helpers/server.js';

const ABSTRACT =
  'Long documents strain the attention of language models. ' +
  'We propose sparse attention routing, which lets language models skip attention heads that do not help with long documents. ' +
  'Sparse attention routing halves the decoding latency of language models on long documents, at $O(n \\log n)$ cost. ' +
  'A <script>alert(1)</script> tag in the text stays text.';

describe.each(testDatabases())('summaries and keywords on $dialect', ({ create }) => {
  const ids: string[] = [];
  const api = serveFreshDatabase(create, async (db) => {
    ids.push(
      ...(await featurePapers(db, [
        {
          day: '2026-11-27',
          record: { title: 'Sparse Attention Routing for <b>Long</b> Documents', abstract: ABSTRACT },
        },
        { day: '2026-11-27', record: { title: 'Graph networks', abstract: 'We study graph networks for molecules.' } },
      ])),
    );
    expect(await enrichPendingPapers(db)).toEqual({ enriched: 2 });
  });

  it('the API gives the Hub its ai_summary and ai_keywords: one sentence of the abstract, 5–8 phrases', async () => {
    const { body } = await getJson(`${api.server.url}/api/papers/${ids[0]}`);
    expect(body.ai_summary).toBe(
      'We propose sparse attention routing, which lets language models skip attention heads that do not help with long documents.',
    );
    expect(body.ai_keywords.length).toBeGreaterThanOrEqual(MIN_KEYWORDS);
    expect(body.ai_keywords.length).toBeLessThanOrEqual(MAX_KEYWORDS);
    expect(body.ai_keywords[0]).toBe('sparse attention routing');
    const list = await getJson(`${api.server.url}/api/daily_papers?date=2026-11-27`);
    const item = list.body.find((i: { paper: { id: string } }) => i.paper.id === ids[0]);
    expect(item.paper).toMatchObject({ ai_summary: body.ai_summary, ai_keywords: body.ai_keywords });
  });

  it('leaves the fields out, not null, until they are computed; computes new and edited papers only', async () => {
    const { db } = api;
    const fresh = paperRecord({
      title: 'Protein folding',
      abstract: 'We fold proteins with diffusion models quickly.',
    });
    await upsertPapers(db, [fresh]);
    const before = (await getJson(`${api.server.url}/api/papers/${fresh.id}`)).body;
    expect(before).not.toHaveProperty('ai_summary');
    expect(before).not.toHaveProperty('ai_keywords');

    await upsertPapers(db, [
      paperRecord({ id: ids[1]!, title: 'Graph networks', abstract: 'Graph transformers predict molecule energies.' }),
    ]);
    expect(await enrichPendingPapers(db)).toEqual({ enriched: 2 });
    expect((await getJson(`${api.server.url}/api/papers/${fresh.id}`)).body.ai_summary).toBe(
      'We fold proteins with diffusion models quickly.',
    );
    expect((await getJson(`${api.server.url}/api/papers/${ids[1]}`)).body.ai_keywords).toEqual(
      expect.arrayContaining([expect.stringMatching(/molecule/)]),
    );
    expect(await enrichPendingPapers(db)).toEqual({ enriched: 0 });
  });

  it('the paper page and the day page show the summary and keywords, each keyword a link to its search', async () => {
    for (const path of [`/papers/${ids[0]}`, '/papers/date/2026-11-27']) {
      const { status, html: body } = await getPage(`${api.server.url}${path}`);
      expect(status).toBe(200);
      expect(body).toContain('<p class="paper-summary">We propose sparse attention routing,');
      expect(body).toContain('<a href="/search?q=%22sparse%20attention%20routing%22">sparse attention routing</a>');
      expect(body).not.toContain('<script>alert(1)');
    }
  });

  it('a card shows the best five keywords, so cards keep one height; the paper page shows them all', async () => {
    const { body: paper } = await getJson(`${api.server.url}/api/papers/${ids[0]}`);
    expect(paper.ai_keywords.length).toBeGreaterThan(5);
    const keywordsOn = (page: string) =>
      [...(/<ul class="keywords"[^>]*>(.*?)<\/ul>/s.exec(page)?.[1] ?? '').matchAll(/<a [^>]*>([^<]*)<\/a>/g)].map(
        (m) => m[1],
      );
    const day = await getPage(`${api.server.url}/papers/date/2026-11-27`);
    const card = day.html.slice(day.html.indexOf(`/papers/${ids[0]}`));
    expect(keywordsOn(card)).toEqual(paper.ai_keywords.slice(0, 5));
    expect(keywordsOn((await getPage(`${api.server.url}/papers/${ids[0]}`)).html)).toEqual(paper.ai_keywords);
  });
});

describe('the worker job', () => {
  it('computes on a thread of its own with its own connection, and stops when aborted', async () => {
    const db = await freshSqlite();
    try {
      await upsertPapers(db, [paperRecord({ abstract: ABSTRACT }), paperRecord()]);
      const aborted = new AbortController();
      const stopped = enrichOffThread(db, { databaseUrl: db.location }, aborted.signal);
      setTimeout(() => aborted.abort(), 50);
      await expect(stopped).rejects.toThrow(/enrichment thread exited/);
      expect(await db.kysely.selectFrom('papers').select('id').where('ai_summary', 'is not', null).execute()).toEqual(
        [],
      );
      const run = await enrichOffThread(db, { databaseUrl: db.location }, new AbortController().signal);
      expect(run).toEqual({ enriched: 2 });
      const rows = await db.kysely.selectFrom('papers').select(['ai_summary', 'ai_keywords']).execute();
      expect(rows.every((r) => r.ai_summary && JSON.parse(r.ai_keywords!).length > 0)).toBe(true);
    } finally {
      await db.close();
    }
  });
});

describe('dailypapers enrich', { timeout: 60_000 }, () => {
  it('computes the papers that need it, again with --all, and says how many', async () => {
    const db = await freshSqlite();
    try {
      await upsertPapers(db, [paperRecord({ abstract: ABSTRACT }), paperRecord(), paperRecord()]);
      const env = { DATABASE_URL: db.location };
      expect(await runCli(['enrich'], env)).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^enriched 3 papers in [\d.]+ s \(\d+ papers\/s\)\n$/),
      });
      expect((await runCli(['enrich'], env)).stdout).toMatch(/^enriched 0 papers/);
      expect((await runCli(['enrich', '--all'], env)).stdout).toMatch(/^enriched 3 papers/);
    } finally {
      await db.close();
    }
  });
});
