import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { setPaperHidden, upsertPapers } from '../store/papers.js';
import { paperRecord } from '../../test/factories/papers.js';
import { testDatabases } from '../../test/helpers/db.js';
import { matchedClauses, searchLexical } from './lexical.js';

/** A small corpus where each paper stands for one ranking rule. */
const corpus = [
  paperRecord({
    id: '2401.00001',
    title: 'Efficient linear attention for long documents',
    abstract: 'We make transformers cheaper.',
    authors: [{ name: 'Geoffrey Hinton' }],
    categories: ['cs.CL'],
    publishedOn: '2024-01-05',
  }),
  paperRecord({
    id: '2401.00002',
    title: 'A study of recurrent networks',
    abstract: 'Attention is compared with linear recurrences; efficient too.',
    authors: [{ name: 'Ada Lovelace' }],
    categories: ['cs.LG'],
    publishedOn: '2024-01-20',
  }),
  paperRecord({
    id: '2402.00003',
    title: 'Masked autoencoders on point clouds',
    abstract: 'Point clouds are masked and reconstructed.',
    authors: [{ name: 'Yatian Pang' }],
    categories: ['cs.CV', 'cs.LG'],
    publishedOn: '2024-02-10',
  }),
  paperRecord({
    id: '2402.00004',
    title: 'Clouds of points, masked',
    abstract: 'Autoencoders learn from clouds; a point is made.',
    authors: [{ name: 'Alan Turing' }],
    categories: ['cs.CV'],
    publishedOn: '2024-02-15',
  }),
  paperRecord({
    id: '2403.00005',
    title: 'Transformers for translation',
    abstract: 'Translating with a transformer.',
    authors: [{ name: 'Grace Hopper' }],
    categories: ['cs.CL'],
    publishedOn: '2024-03-01',
  }),
  paperRecord({
    id: '2403.00006',
    title: 'Hidden attention paper',
    abstract: 'Efficient linear attention, withdrawn.',
    categories: ['cs.CL'],
    publishedOn: '2024-03-02',
  }),
  paperRecord({
    id: 'hep-th/9901001',
    title: 'Strings and branes',
    abstract: 'Old-style identifiers.',
    categories: ['hep-th'],
    publishedOn: '1999-01-01',
  }),
];

const ids = async (db: Db, text: string, extra: Partial<Parameters<typeof searchLexical>[1]> = {}) =>
  (await searchLexical(db, { text, limit: 20, ...extra })).map((hit) => hit.id);

describe.each(testDatabases())('lexical search on $dialect', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
    await upsertPapers(db, corpus);
    await setPaperHidden(db, '2403.00006', true);
  });
  afterAll(async () => {
    await db.close();
  });

  it('ranks a title match above an abstract-only match, and never shows hidden papers', async () => {
    expect(await ids(db, 'efficient linear attention')).toEqual(['2401.00001', '2401.00002']);
  });

  it('lists papers with every word first, then fills the page with papers that have some', async () => {
    const filled = await ids(db, 'efficient attention transformers');
    expect(filled[0]).toBe('2401.00001');
    expect(filled.slice(1).sort()).toEqual(['2401.00002', '2403.00005']);
    expect((await ids(db, 'attention translation')).sort()).toEqual(['2401.00001', '2401.00002', '2403.00005']);
    // Paging reads the same list: the every-word paper alone on page one, the rest after it.
    expect(await ids(db, 'efficient attention transformers', { limit: 1 })).toEqual(['2401.00001']);
    expect(await ids(db, 'efficient attention transformers', { limit: 2, offset: 1 })).toEqual(filled.slice(1));
  });

  it('weighs a rare word above a common one (BM25), whichever the database', async () => {
    const own = await create();
    try {
      const common = Array.from({ length: 30 }, (_, i) =>
        paperRecord({ title: `Graph study ${i}`, abstract: 'Graphs and graph methods.' }),
      );
      const commonInTitle = paperRecord({ title: 'Graph graph networks', abstract: 'We mention a quiver once.' });
      const rareInTitle = paperRecord({ title: 'Quiver representations', abstract: 'On a graph.' });
      await upsertPapers(own, [...common, commonInTitle, rareInTitle]);
      expect((await ids(own, 'graph quiver')).slice(0, 2)).toEqual([rareInTitle.id, commonInTitle.id]);
    } finally {
      await own.close();
    }
  });

  it('matches a quoted phrase only in that order', async () => {
    expect(await ids(db, '"masked autoencoders"')).toEqual(['2402.00003']);
    expect(await ids(db, '"autoencoders masked"')).toEqual([]);
    expect((await ids(db, 'autoencoders masked')).sort()).toEqual(['2402.00003', '2402.00004']);
  });

  it('matches word stems and prefixes', async () => {
    expect(await ids(db, 'transformer')).toEqual(expect.arrayContaining(['2403.00005', '2401.00001']));
    expect(await ids(db, 'translat*')).toEqual(['2403.00005']);
  });

  it('finds papers by author, in the query or as a filter, by a part of the name', async () => {
    expect(await ids(db, 'au:hinton')).toEqual(['2401.00001']);
    expect(await ids(db, 'author:"geoffrey hinton" attention')).toEqual(['2401.00001']);
    expect(await ids(db, 'attention', { filters: { author: 'Lovel' } })).toEqual(['2401.00002']);
    expect(await ids(db, 'attention', { filters: { author: 'Nobody' } })).toEqual([]);
  });

  it('narrows by category and publication dates', async () => {
    expect(await ids(db, 'point clouds cat:cs.LG')).toEqual(['2402.00003']);
    expect(await ids(db, 'attention', { filters: { categories: ['cs.LG', 'cs.AI'] } })).toEqual(['2401.00002']);
    expect(await ids(db, 'clouds', { filters: { from: '2024-02-12' } })).toEqual(['2402.00004']);
    expect(await ids(db, 'clouds', { filters: { to: '2024-02-12' } })).toEqual(['2402.00003']);
    expect(await ids(db, 'clouds', { filters: { from: '2024-03-01', to: '2024-12-31' } })).toEqual([]);
  });

  it('lists the newest papers of a category or date range when there are no words', async () => {
    expect(await ids(db, 'cat:cs.CV')).toEqual(['2402.00004', '2402.00003']);
    expect(await ids(db, '', { filters: { categories: ['cs.CL'], from: '2024-01-01' } })).toEqual([
      '2403.00005',
      '2401.00001',
    ]);
    expect(await ids(db, '', { filters: { categories: ['cs.CL'] }, offset: 1, limit: 1 })).toEqual(['2401.00001']);
    expect(await ids(db, '')).toEqual([]);
  });

  it('searches the title alone with ti:', async () => {
    expect(await ids(db, 'ti:attention')).toEqual(['2401.00001']);
  });

  it('pages through results with limit and offset', async () => {
    const all = await ids(db, 'point clouds masked');
    expect(all).toHaveLength(2);
    expect(await ids(db, 'point clouds masked', { limit: 1 })).toEqual([all[0]]);
    expect(await ids(db, 'point clouds masked', { limit: 1, offset: 1 })).toEqual([all[1]]);
    expect(await ids(db, 'point clouds masked', { offset: 2 })).toEqual([]);
  });

  it('goes straight to a paper named by its arXiv id or URL', async () => {
    for (const text of [
      '2402.00003',
      '2402.00003v2',
      'arXiv:2402.00003',
      'https://arxiv.org/abs/2402.00003v1',
      'https://arxiv.org/pdf/2402.00003.pdf',
    ]) {
      expect(await ids(db, text)).toEqual(['2402.00003']);
    }
    expect(await ids(db, 'hep-th/9901001')).toEqual(['hep-th/9901001']);
    expect(await ids(db, '2403.00006')).toEqual([]);
  });

  it('answers hostile and malformed queries with ordinary results', async () => {
    const queries = [
      '"unbalanced quote attention',
      'NEAR(attention linear)',
      'attention AND linear OR NOT x',
      '^attention',
      '-attention',
      'title: attention',
      'abstract:attention',
      'attention*',
      '*',
      '"',
      '""',
      'the of and',
      '🚀 attention 🔥',
      'attention\u0000',
      "' OR 1=1; DROP TABLE papers; --",
      'x'.repeat(10_000),
      'attention '.repeat(1000),
      ':',
      'cat:',
      'au:',
      'cat:"; DROP',
      '\\',
      "'",
      '(((',
      'a:b:c:d',
      'papers_fts:attention',
      'rank:1',
    ];
    for (const text of queries) await expect(searchLexical(db, { text, limit: 5 })).resolves.toBeInstanceOf(Array);
    expect(await ids(db, '"unbalanced quote attention')).toEqual([]);
    expect(await ids(db, "attention' OR '1'='1")).toEqual(['2401.00001', '2401.00002']);
    expect(await ids(db, 'the of and')).toEqual([]);
  });
});

describe('the words a "some words" tier matches on', () => {
  const clauses = ['model', 'sheaf', 'learning', 'quiver', 'data'];
  it('leaves out the words in more papers than the limit, and puts the rarest first', () => {
    expect(matchedClauses(clauses, [900_000, 40, 700_000, 0, 50_000])).toEqual(['quiver', 'sheaf', 'data']);
    expect(matchedClauses(clauses, [1, 2, 3, 4, 5])).toEqual(clauses);
  });

  it('keeps the two rarest even when every word is that common', () => {
    expect(matchedClauses(clauses, [900_000, 60_000, 700_000, 2_000_000, 80_000])).toEqual(['sheaf', 'data']);
    expect(matchedClauses(['model'], [900_000])).toEqual(['model']);
  });
});

describe.each(testDatabases().filter((d) => d.dialect === 'postgres'))(
  'full text on $dialect, whose index leaves stop words out',
  ({ create }) => {
    it('lists the papers with every word first when the query has a stop word ("the", "how")', async () => {
      // Titles and abstracts are indexed without stop words here: a required "the" emptied the every-word tiers, and
      // the "some words" tier, which at scale ranks only the first matches it finds, had to find these papers.
      const own = await create();
      try {
        const titled = paperRecord({ title: 'Sheaves on graphs', abstract: 'Plain text.' });
        const mentioned = paperRecord({
          title: 'Cohomology',
          abstract: 'Sheaves, graphs, sheaves and graphs. '.repeat(4),
        });
        await upsertPapers(own, [mentioned, titled]);
        const first = async (text: string) => (await searchLexical(own, { text, limit: 1 }))[0]?.id;
        for (const text of ['sheaves graphs', 'the sheaves graphs', 'how do the sheaves on graphs'])
          expect(await first(text)).toBe(titled.id);
        expect((await ids(own, 'the sheaves graphs')).sort()).toEqual([titled.id, mentioned.id].sort());
        expect(await ids(own, 'the of and')).toEqual([]);
      } finally {
        await own.close();
      }
    });

    it('finds the papers with the rarest of the words when more papers have some of them than are ranked', async () => {
      // 2,100 papers with "model", more than a tier ranks; the one with "quiver" came last, so it is the last the
      // index would yield. Nothing has every word, so the page comes from the "some words" tier.
      const own = await create();
      try {
        const common = Array.from({ length: 2_100 }, (_, i) =>
          paperRecord({ title: `Model number ${i}`, abstract: 'A model.' }),
        );
        const rare = paperRecord({ title: 'Quiver representations', abstract: 'A model of quivers.' });
        await upsertPapers(own, common);
        await upsertPapers(own, [rare]);
        await sql`ANALYZE papers`.execute(own.kysely);
        expect((await searchLexical(own, { text: 'model quiver sheaves', limit: 20 }))[0]?.id).toBe(rare.id);
        expect(await searchLexical(own, { text: 'model sheaves', limit: 100 })).toHaveLength(100);
      } finally {
        await own.close();
      }
    });
  },
);
