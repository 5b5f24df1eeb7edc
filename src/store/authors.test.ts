import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { paperRecord } from '../../test/factories/papers.js';
import { testDatabases } from '../../test/helpers/db.js';
import { newestPapersOf } from './authors.js';
import { setPaperHidden, upsertPapers } from './papers.js';

const day = (i: number) => new Date(Date.UTC(2024, 0, 1) + (i % 400) * 86_400_000).toISOString().slice(0, 10);

describe.each(testDatabases())('newestPapersOf a followed category ($dialect)', ({ create }) => {
  let db: Db;
  // A large category (past the size where SQLite walks papers newest first) and a small one.
  const large = Array.from({ length: 2_100 }, (_, i) =>
    paperRecord({ categories: i % 7 === 0 ? ['cs.AI', 'q-bio.NC'] : ['cs.AI'], publishedOn: day(i * 37) }),
  );
  const hidden = large.filter((_, i) => i % 5 === 0).map((p) => p.id);
  const visible = large.filter((p) => !hidden.includes(p.id));
  const newestFirst = (papers: typeof large) =>
    [...papers]
      .sort((a, b) =>
        a.publishedOn! < b.publishedOn! ? 1 : a.publishedOn! > b.publishedOn! ? -1 : a.id < b.id ? -1 : 1,
      )
      .map((p) => ({ id: p.id }));

  beforeAll(async () => {
    db = await create();
    await upsertPapers(db, large);
    for (const id of hidden) await setPaperHidden(db, id, true);
  }, 120_000);
  afterAll(() => db.close());

  it('lists the newest visible papers of a large category, newest first, ties by id', async () => {
    const newest = await newestPapersOf(db, { authorKeys: [], categories: ['cs.AI'] }, {}, 30);
    expect(newest).toEqual(newestFirst(visible).slice(0, 30));
  });

  it('keeps to the published days asked for, in a large category and a small one', async () => {
    const range = { from: '2024-03-01', to: '2024-06-30' };
    const within = (p: (typeof large)[number]) => p.publishedOn! >= range.from && p.publishedOn! <= range.to;
    const newest = await newestPapersOf(db, { authorKeys: [], categories: ['cs.AI', 'q-bio.NC'] }, range, 30);
    expect(newest).toEqual([
      ...newestFirst(visible.filter(within)).slice(0, 30),
      ...newestFirst(visible.filter((p) => within(p) && p.categories.includes('q-bio.NC'))).slice(0, 30),
    ]);
  });
});
