import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { featurePapers } from '../../test/factories/papers.js';
import { testDatabases } from '../../test/helpers/db.js';
import { corpusSample } from './embeddings.js';

describe.each(testDatabases())('corpus sample on $dialect', ({ create }) => {
  let db: Db;
  let visibleTitles: string[];
  beforeEach(async () => {
    db = await create();
    // 13 papers, the 4th hidden: 12 visible, stored out of id order.
    const specs = Array.from({ length: 13 }, (_, i) => ({ day: '2025-01-15', hidden: i === 3 }));
    const ids = await featurePapers(db, specs.reverse());
    const rows = await db.kysely.selectFrom('papers').select(['id', 'title', 'hidden']).execute();
    const byId = new Map(rows.map((row) => [row.id, row]));
    visibleTitles = [...ids]
      .sort()
      .filter((id) => byId.get(id)!.hidden === 0)
      .map((id) => byId.get(id)!.title);
  });
  afterEach(async () => {
    await db.close();
  });

  it('takes an even spread of the visible papers in id order, whatever the page of ids read at a time', async () => {
    expect(visibleTitles).toHaveLength(12);
    // 12 papers, at most 5: every 2.4th, at floor(0), floor(2.4), floor(4.8), floor(7.2), floor(9.6).
    const expected = [0, 2, 4, 7, 9].map((i) => visibleTitles[i]);
    for (const page of [2, 3, 5, 50_000]) {
      const sample = await corpusSample(db, 5, page);
      expect(sample.papers).toBe(12);
      expect(sample.texts.map((t) => t.title)).toEqual(expected);
    }
  });

  it('takes every visible paper, with its abstract, when there are no more than asked for', async () => {
    const sample = await corpusSample(db, 12, 5);
    expect(sample.texts.map((t) => t.title)).toEqual(visibleTitles);
    expect(sample.texts[0]!.abstract).toMatch(/^We study things/);
    expect((await corpusSample(db, 100)).texts).toHaveLength(12);
  });

  it('is empty for an empty corpus', async () => {
    await db.kysely.deleteFrom('papers').execute();
    expect(await corpusSample(db, 5)).toEqual({ papers: 0, texts: [] });
  });
});
