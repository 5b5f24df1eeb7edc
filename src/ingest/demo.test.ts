import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { paperRecord } from '../../test/factories/papers.js';
import { testDatabases } from '../../test/helpers/db.js';
import { countPapers, listFeatured, upsertPapers } from '../store/papers.js';
import { demoPapersFile, importDemoPapersIfEmpty } from './demo.js';

const bundled = fileURLToPath(new URL('../../demo/seed-papers.jsonl', import.meta.url));

describe('demo papers file', () => {
  it('the bundled copy is the shared seed file, so a clone without ../shared shows the same demo', () => {
    expect(readFileSync(bundled, 'utf8')).toBe(readFileSync(demoPapersFile(), 'utf8'));
    expect(readFileSync(bundled, 'utf8').trim().split('\n')).toHaveLength(86);
  });
});

describe.each(testDatabases())('demo import on $dialect', ({ create }) => {
  let db: Db;
  beforeEach(async () => {
    db = await create();
  });
  afterEach(async () => {
    await db.close();
  });

  it('features every demo paper over the seven days ending today, each day with papers', async () => {
    const demo = await importDemoPapersIfEmpty(db, { today: '2026-03-02', file: bundled });
    expect(demo).toMatchObject({ papers: 86, from: '2026-02-24', to: '2026-03-02' });
    expect(await countPapers(db)).toBe(86);
    const days = ['2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'];
    const perDay = await Promise.all(
      days.map(async (day) => (await listFeatured(db, { from: day, to: day, limit: 100 })).length),
    );
    expect(perDay.every((n) => n >= 12)).toBe(true);
    expect(perDay.reduce((a, b) => a + b, 0)).toBe(86);
    const first = await listFeatured(db, { from: '2026-03-02', to: '2026-03-02', limit: 100 });
    expect(first.map((p) => p.id)).toContain('2203.06604');
  });

  it('leaves a database that already has papers untouched', async () => {
    await upsertPapers(db, [paperRecord()]);
    expect(await importDemoPapersIfEmpty(db, { today: '2026-03-02', file: bundled })).toBeNull();
    expect(await countPapers(db)).toBe(1);
  });
});
