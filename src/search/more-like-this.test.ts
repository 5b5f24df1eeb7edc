import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { setPaperHidden, upsertPapers } from '../store/papers.js';
import { termDocumentFrequencies, termStatisticsPapers } from '../store/term-statistics.js';
import { paperRecord } from '../../test/factories/papers.js';
import { topicPapers } from '../../test/factories/topics.js';
import { testDatabases } from '../../test/helpers/db.js';
import { countTermDocuments, distinctiveWords, moreLikeThis, refreshTermStatistics } from './more-like-this.js';

describe('distinctiveWords', () => {
  const statistics = countTermDocuments([
    'graph neural networks for molecules',
    'neural networks for images',
    'neural networks for speech',
    'graph colouring',
  ]);

  it('counts each stemmed word once per paper, leaving out words only one paper has', () => {
    expect(statistics.papers).toBe(4);
    expect(statistics.documents.get('neural')).toBe(3);
    expect(statistics.documents.get('network')).toBe(3);
    expect(statistics.documents.get('graph')).toBe(2);
    expect(statistics.documents.has('molecul')).toBe(false);
  });

  it('puts rare and repeated words before common ones, as written in the text, stop words never', () => {
    expect(distinctiveWords('The molecules of graph neural networks, molecules again', statistics, 2)).toEqual([
      'molecules',
      'graph',
    ]);
    expect(distinctiveWords('the of and', statistics, 5)).toEqual([]);
  });

  it('reads LaTeX, markup and injection strings as plain words', () => {
    const words = distinctiveWords(
      '$\\mathcal{O}(n^2)$ <script>alert(1)</script> "; DROP TABLE papers; -- OR 1=1 *',
      statistics,
      50,
    );
    expect(words.every((w) => /^[\p{L}\p{N}]+$/u.test(w))).toBe(true);
    expect(words).toEqual(expect.arrayContaining(['mathcal', 'script', 'drop']));
  });
});

describe.each(testDatabases())('more like this on $dialect', ({ create }) => {
  let db: Db;
  const papers = topicPapers();
  const car = papers.find((p) => p.title === 'Automobile engine efficiency')!;
  beforeAll(async () => {
    db = await create();
    await upsertPapers(db, papers);
    await refreshTermStatistics(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('counts the corpus once, and again only when it has doubled', async () => {
    expect(await termStatisticsPapers(db)).toBe(papers.length);
    await upsertPapers(db, [paperRecord({ title: 'Automobile one more' })]);
    await refreshTermStatistics(db);
    expect(await termStatisticsPapers(db)).toBe(papers.length);
    const road = await termDocumentFrequencies(db, ['road', 'unknownword']);
    expect(road.documents.get('road')).toBeGreaterThan(2);
    expect(road.documents.has('unknownword')).toBe(false);
  });

  it("finds the papers sharing a paper's distinctive words, never the paper itself or a hidden one", async () => {
    const vehicles = papers.filter((p) => p.categories[0] === car.categories[0]).map((p) => p.id);
    const hidden = vehicles.find((id) => id !== car.id)!;
    await setPaperHidden(db, hidden, true);
    try {
      const hits = await moreLikeThis(db, car, { words: 8, limit: 4 });
      expect(hits).toHaveLength(4);
      expect(hits.map((h) => h.id)).not.toContain(car.id);
      expect(hits.map((h) => h.id)).not.toContain(hidden);
      expect(hits.every((h) => vehicles.includes(h.id))).toBe(true);
      expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[3]!.score);
    } finally {
      await setPaperHidden(db, hidden, false);
    }
  });

  it('asks nothing of a paper without content words, and survives hostile text', async () => {
    expect(await moreLikeThis(db, { id: 'x', title: 'The', abstract: 'of and' }, { words: 8, limit: 5 })).toEqual([]);
    const hostile = {
      id: 'y',
      title: `"unbalanced NEAR(car) ' OR 1=1; -- $\\frac{a}{b}$ <b>road</b>`,
      abstract: 'car* ^road -fuel '.repeat(2000),
    };
    const hits = await moreLikeThis(db, hostile, { words: 25, limit: 5 });
    expect(hits.length).toBeGreaterThan(0);
  });
});
