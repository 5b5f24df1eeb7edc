import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { paperRecord } from '../../test/factories/papers.js';
import { testDatabases } from '../../test/helpers/db.js';
import { getPaper, latestFeaturedDay, listFeatured, neighbouringFeaturedDays, upsertPapers } from './papers.js';
import { searchLexical } from '../search/lexical.js';

describe.each(testDatabases())('papers store on $dialect', ({ create }) => {
  let db: Db;
  beforeEach(async () => {
    db = await create();
  });
  afterEach(async () => {
    await db.close();
  });

  it('stores a paper with ordered authors, primary category and detected links', async () => {
    const record = paperRecord({
      id: '2203.06604',
      abstract: 'Code: https://github.com/Pang-Yatian/Point-MAE. Masked autoencoders for point clouds.',
      authors: [{ name: 'Yatian Pang', affiliation: 'PKU' }, { name: 'Wenxiao Wang' }],
      categories: ['cs.CV', 'cs.LG'],
    });
    const result = await upsertPapers(db, [record]);
    expect(result).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
    const paper = await getPaper(db, '2203.06604');
    expect(paper?.authors).toEqual([{ name: 'Yatian Pang', affiliation: 'PKU' }, { name: 'Wenxiao Wang' }]);
    expect(paper?.primaryCategory).toBe('cs.CV');
    expect(paper?.githubUrl).toBe('https://github.com/Pang-Yatian/Point-MAE');
  });

  it('re-importing the same record changes nothing; an edited record updates it', async () => {
    const record = paperRecord();
    await upsertPapers(db, [record]);
    const before = await getPaper(db, record.id);
    expect(await upsertPapers(db, [record])).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    expect((await getPaper(db, record.id))?.modifiedAt).toBe(before?.modifiedAt);
    expect(await upsertPapers(db, [{ ...record, title: 'A corrected title' }])).toMatchObject({ updated: 1 });
    expect((await getPaper(db, record.id))?.title).toBe('A corrected title');
  });

  it('stores a batch larger than one statement, with a repeated id, as the same papers one by one would be', async () => {
    const records = Array.from({ length: 950 }, (_, i) =>
      paperRecord({ authors: [{ name: `Author ${i}` }, { name: 'Shared Name' }] }),
    );
    const repeated = { ...records[10]!, title: 'Repeated later in the batch', authors: [{ name: 'Only One' }] };
    const result = await upsertPapers(db, [...records, repeated]);
    expect(result).toMatchObject({ inserted: 950, updated: 1, unchanged: 0 });
    expect(result.changedIds).toHaveLength(951);
    expect(await getPaper(db, repeated.id)).toMatchObject({
      title: 'Repeated later in the batch',
      authors: [{ name: 'Only One' }],
    });
    const authorRows = await db.kysely
      .selectFrom('paper_authors')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(authorRows.n)).toBe(949 * 2 + 1);
    expect(await upsertPapers(db, [...records.slice(11), repeated])).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 940,
    });
  });

  it('stores text that array literals quote (quotes, backslashes, braces, commas, NULL) exactly as given', async () => {
    const awkward = ['He said "yes"', 'C:\\path\\ and \\"', '{a,b}', 'NULL', '', 'x, y', 'naïve 𝔽 résumé', ' lead'];
    const records = awkward.map((text, i) =>
      paperRecord({
        title: `Title ${i} ${text}`,
        abstract: text,
        authors: [{ name: text || 'Nobody' }],
        categories: ['cs.LG'],
        comments: i % 2 ? null : text,
      }),
    );
    await upsertPapers(db, records);
    for (const [i, record] of records.entries()) {
      const stored = await getPaper(db, record.id);
      expect(stored).toMatchObject({
        title: `Title ${i} ${awkward[i]}`,
        abstract: record.abstract,
        comments: record.comments ?? null,
      });
      expect(stored?.authors).toEqual(record.authors);
    }
  });

  it('a newer version replaces the content; an older one never overwrites it', async () => {
    const v2 = paperRecord({ version: 2, title: 'Second version' });
    await upsertPapers(db, [v2]);
    await upsertPapers(db, [{ ...v2, version: 1, title: 'First version' }]);
    expect((await getPaper(db, v2.id))?.title).toBe('Second version');
    await upsertPapers(db, [{ ...v2, version: 3, title: 'Third version' }]);
    expect(await getPaper(db, v2.id)).toMatchObject({ title: 'Third version', version: 3 });
  });

  it('features papers on a day, keeps the first featuring, and lists them by upvotes', async () => {
    const a = paperRecord();
    const b = paperRecord();
    await upsertPapers(db, [a, b], { featuredOn: '2026-11-27' });
    await upsertPapers(db, [a], { featuredOn: '2026-11-28' });
    expect((await getPaper(db, a.id))?.featuredOn).toBe('2026-11-27');
    await db.kysely.updateTable('papers').set({ upvotes: 5 }).where('id', '=', b.id).execute();
    const day = await listFeatured(db, { from: '2026-11-27', to: '2026-11-27' });
    expect(day.map((p) => p.id)).toEqual([b.id, a.id]);
    expect(await latestFeaturedDay(db)).toBe('2026-11-27');
  });

  it('finds the neighbouring featured days', async () => {
    await upsertPapers(db, [paperRecord()], { featuredOn: '2026-11-20' });
    await upsertPapers(db, [paperRecord()], { featuredOn: '2026-11-25' });
    await upsertPapers(db, [paperRecord()], { featuredOn: '2026-11-27' });
    expect(await neighbouringFeaturedDays(db, '2026-11-25')).toEqual({ previous: '2026-11-20', next: '2026-11-27' });
    expect(await neighbouringFeaturedDays(db, '2026-11-20')).toEqual({ previous: null, next: '2026-11-25' });
  });

  it('lexical search ranks a title match above an abstract-only match', async () => {
    const inAbstract = paperRecord({
      title: 'Learning representations',
      abstract: 'We apply diffusion models to images.',
    });
    const inTitle = paperRecord({ title: 'Diffusion models for audio', abstract: 'We generate sound.' });
    const neither = paperRecord({ title: 'Graph networks', abstract: 'Message passing.' });
    await upsertPapers(db, [inAbstract, inTitle, neither]);
    const hits = await searchLexical(db, { text: 'diffusion' });
    expect(hits.map((h) => h.id)).toEqual([inTitle.id, inAbstract.id]);
  });

  it('lexical search treats query syntax as plain words', async () => {
    await upsertPapers(db, [paperRecord({ title: 'Robust attention' })]);
    for (const text of ['"unbalanced', 'title:attention OR NOT', "'; DROP TABLE papers; --", '(((', '😀', '*']) {
      await expect(searchLexical(db, { text })).resolves.toBeInstanceOf(Array);
    }
    expect((await searchLexical(db, { text: 'attention)' })).length).toBe(1);
  });
});
