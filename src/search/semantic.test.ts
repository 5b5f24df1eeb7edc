import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection.js';
import { migrate } from '../db/migrations/index.js';
import { PARAPHRASED_ID, topicPapers } from '../../test/factories/topics.js';
import { testContext } from '../../test/helpers/context.js';
import { testDatabases } from '../../test/helpers/db.js';
import type { AppContext } from '../app/context.js';
import { sql } from 'kysely';
import { Index } from 'usearch';
import {
  activeEmbeddingModel,
  countPapersToEmbed,
  countVectors,
  embeddingModelData,
  vectorsOfPapers,
  vectorsSince,
} from '../store/embeddings.js';
import { hnswConfig, VECTOR_SCALAR } from './hnsw.js';
import { decodeLsa, embedLsa } from './lsa.js';
import { PgvectorIndex } from './pgvector.js';
import { setPaperHidden, upsertPapers } from '../store/papers.js';
import { embedPendingPapers } from './embed-job.js';
import { DEFAULT_SEARCH_MODE, searchPapers, SearchModeUnavailable } from './search.js';
import { SEARCH_MODES, type SearchMode } from './types.js';
import { indexFile, UsearchIndex } from './vector-index.js';

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

describe.each(testDatabases())('semantic and hybrid search on $dialect', ({ create }) => {
  let db: Db;
  let ctx: AppContext;
  beforeEach(async () => {
    db = await create();
    ctx = testContext(db);
    await upsertPapers(db, topicPapers());
  });
  afterEach(async () => {
    await ctx.close();
    await db.close();
  });

  it('is unavailable before any vector exists; hybrid then answers like lexical', async () => {
    await expect(searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 5 })).rejects.toBeInstanceOf(
      SearchModeUnavailable,
    );
    const lexical = await searchPapers(ctx, { text: 'automobile', mode: 'lexical', limit: 5 });
    expect(await searchPapers(ctx, { text: 'automobile', mode: 'hybrid', limit: 5 })).toEqual(lexical);
  });

  it('gives every new paper a vector, and only new or edited papers are embedded again', async () => {
    const first = await embedPendingPapers(ctx);
    expect(first.embedded).toBe(24);
    const model = (await activeEmbeddingModel(db))!;
    expect(await countVectors(db, model.id)).toBe(24);
    expect(await countPapersToEmbed(db, model.id)).toBe(0);
    expect((await embedPendingPapers(ctx)).embedded).toBe(0);

    await upsertPapers(db, [{ ...topicPapers()[0]!, id: '2501.00999', title: 'Automobile fleets' }]);
    expect((await embedPendingPapers(ctx)).embedded).toBe(1);
  });

  it('finds a paraphrase that keyword search misses', async () => {
    await embedPendingPapers(ctx);
    const lexical = await searchPapers(ctx, { text: 'automobile', mode: 'lexical', limit: 24 });
    expect(ids(lexical)).not.toContain(PARAPHRASED_ID);
    const semantic = await searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 6 });
    expect(ids(semantic)).toContain(PARAPHRASED_ID);
    expect(ids(semantic).every((id) => id.startsWith('2501.001'))).toBe(true);
    const hybrid = await searchPapers(ctx, { text: 'automobile', mode: 'hybrid', limit: 6 });
    expect(ids(hybrid)).toContain(PARAPHRASED_ID);
  });

  it('recomputes an edited paper’s vector, so search follows the new text', async () => {
    await embedPendingPapers(ctx);
    const model = (await activeEmbeddingModel(db))!;
    const before = (await vectorsOfPapers(db, model.id, [PARAPHRASED_ID])).get(PARAPHRASED_ID)!;
    const edited = {
      ...topicPapers().find((p) => p.id === PARAPHRASED_ID)!,
      title: 'Galaxy survey telescope',
      abstract: 'A telescope maps each galaxy and star in the sky.',
      version: 2,
    };
    await upsertPapers(db, [edited]);
    expect(await countPapersToEmbed(db, model.id)).toBe(1);
    await embedPendingPapers(ctx);
    const after = (await vectorsOfPapers(db, model.id, [PARAPHRASED_ID])).get(PARAPHRASED_ID)!;
    expect(after.key).toBe(before.key);
    expect(after.vector).not.toEqual(before.vector);
    const galaxy = await searchPapers(ctx, { text: 'galaxy telescope star', mode: 'semantic', limit: 7 });
    expect(ids(galaxy)).toContain(PARAPHRASED_ID);
    const cars = await searchPapers(ctx, { text: 'car driver road', mode: 'semantic', limit: 5 });
    expect(ids(cars)).not.toContain(PARAPHRASED_ID);
  });

  it('refits the model when the corpus has doubled, re-embedding every paper and dropping the old vectors', async () => {
    const first = await embedPendingPapers(ctx);
    expect(await countVectors(db, first.modelId!)).toBe(24);
    const more = topicPapers().map((p, i) => ({ ...p, id: `2502.${String(i).padStart(5, '0')}` }));
    await upsertPapers(db, more.slice(0, 23));
    const grown = await embedPendingPapers(ctx);
    expect(grown.modelId).toBe(first.modelId);
    expect(grown.embedded).toBe(23);

    await upsertPapers(db, more.slice(23));
    const refit = await embedPendingPapers(ctx);
    expect(refit.modelId).not.toBe(first.modelId);
    expect(refit.embedded).toBe(48);
    expect((await activeEmbeddingModel(db))!.fittedPapers).toBe(48);
    expect(await countVectors(db, first.modelId!)).toBe(0);
    expect((await embedPendingPapers(ctx)).embedded).toBe(0);
    const semantic = await searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 12 });
    expect(ids(semantic)).toContain(PARAPHRASED_ID);
  });

  it('never returns hidden or deleted papers, and drops their vectors', async () => {
    await embedPendingPapers(ctx);
    await searchPapers(ctx, { text: 'protein', mode: 'semantic', limit: 3 }); // the index now holds every paper
    await setPaperHidden(db, '2501.00200', true);
    await db.kysely.deleteFrom('papers').where('id', '=', '2501.00201').execute();
    for (const mode of ['semantic', 'hybrid'] as const) {
      const hits = await searchPapers(ctx, { text: 'protein enzyme amino acid cell', mode, limit: 24 });
      expect(ids(hits)).not.toContain('2501.00200');
      expect(ids(hits)).not.toContain('2501.00201');
      expect(ids(hits)).toContain('2501.00202');
    }
    const run = await embedPendingPapers(ctx);
    expect(run.removed).toBe(1);
    const model = (await activeEmbeddingModel(db))!;
    expect(await countVectors(db, model.id)).toBe(22);
  });

  it('reads further neighbours when most of the nearest are hidden, so the page stays full', async () => {
    // 50 papers in the very words of the query, hidden: more than the few extra neighbours an unfiltered
    // search reads beyond those it needs; then 10 visible ones that say it less closely.
    const proteins = Array.from({ length: 60 }, (_, i) => ({
      ...topicPapers()[0]!,
      id: `2502.${String(i).padStart(5, '0')}`,
      ...(i < 50
        ? { title: `Protein enzyme amino acid cell ${i}`, abstract: 'Protein enzyme amino acid cell protein enzyme.' }
        : { title: `Soil microbes ${i}`, abstract: 'Soil microbes, fungi and roots; a protein among the nutrients.' }),
    }));
    await upsertPapers(db, proteins);
    await embedPendingPapers(ctx);
    for (const paper of proteins.slice(0, 50)) await setPaperHidden(db, paper.id, true);
    // The topics' 6 protein papers, then the 10 visible ones.
    const hits = await searchPapers(ctx, { text: 'protein enzyme amino acid cell', mode: 'semantic', limit: 16 });
    expect(hits).toHaveLength(16);
    expect(ids(hits)).toEqual(expect.arrayContaining(proteins.slice(50).map((p) => p.id)));
    expect(ids(hits).some((id) => proteins.slice(0, 50).some((p) => p.id === id))).toBe(false);
  });

  it.each(SEARCH_MODES.filter((m) => m !== 'lexical'))(
    'honours every filter, limit and offset in %s mode',
    async (mode: SearchMode) => {
      await embedPendingPapers(ctx);
      const text = 'automobile protein galaxy poem';
      const all = await searchPapers(ctx, { text, mode, limit: 24 });
      expect(all.length).toBeGreaterThan(10);
      const byCategory = await searchPapers(ctx, {
        text,
        mode,
        limit: 24,
        filters: { categories: ['q-bio.BM', 'cs.CL'] },
      });
      expect(byCategory.length).toBeGreaterThan(0);
      expect(ids(byCategory).every((id) => id.startsWith('2501.002') || id.startsWith('2501.004'))).toBe(true);
      const byDate = await searchPapers(ctx, {
        text,
        mode,
        limit: 24,
        filters: { from: '2025-03-01', to: '2025-06-30' },
      });
      expect(ids(byDate).every((id) => id.startsWith('2501.002') || id.startsWith('2501.003'))).toBe(true);
      const byAuthor = await searchPapers(ctx, { text, mode, limit: 24, filters: { author: 'rubin' } });
      expect(byAuthor.length).toBeGreaterThan(0);
      expect(ids(byAuthor).every((id) => id.startsWith('2501.003'))).toBe(true);
      expect(await searchPapers(ctx, { text, mode, limit: 24, filters: { author: '%' } })).toEqual([]);
      const page = await searchPapers(ctx, { text, mode, limit: 3, offset: 2 });
      expect(ids(page)).toEqual(ids(all).slice(2, 5));
    },
  );

  it('answers malformed and hostile queries with results or nothing, never an error', async () => {
    await embedPendingPapers(ctx);
    const queries = [
      '"unbalanced quote',
      'car AND OR NOT (',
      'NEAR(car protein) title:galaxy*',
      'x'.repeat(10_000),
      'the of and a',
      '🚗🧬✨',
      '',
      "'; DROP TABLE papers; --",
    ];
    for (const mode of SEARCH_MODES) {
      for (const text of queries) {
        const hits = await searchPapers(ctx, { text, mode, limit: 5 });
        expect(Array.isArray(hits)).toBe(true);
      }
    }
  });

  it('uses pgvector on PostgreSQL where it is installed, usearch otherwise', async () => {
    await embedPendingPapers(ctx);
    const index = (await ctx.vectorIndexes.active(db))!;
    const { rows } =
      db.dialect === 'postgres'
        ? await sql<{ name: string }>`SELECT name FROM pg_available_extensions WHERE name = 'vector'`.execute(db.kysely)
        : { rows: [] };
    expect(index).toBeInstanceOf(rows.length > 0 ? PgvectorIndex : UsearchIndex);
    expect(index.size()).toBe(24);
    const [query] = embedLsa(decodeLsa((await embeddingModelData(db, index.model.id))!), ['automobile']);
    const nearest = await index.search(query!, 3);
    expect(nearest).toHaveLength(3);
    expect(nearest[0]!.similarity).toBeGreaterThanOrEqual(nearest[2]!.similarity);
  });

  it('finds the same nearest papers through the in-process usearch index as through the index in use', async () => {
    // On PostgreSQL with pgvector this is the fallback a server without the extension uses.
    await embedPendingPapers(ctx);
    const active = (await ctx.vectorIndexes.active(db))!;
    const { index: inProcess } = await UsearchIndex.open(db, active.model, null);
    await inProcess.sync(db, active.model.revision);
    expect(inProcess.size()).toBe(24);
    const [query] = embedLsa(decodeLsa((await embeddingModelData(db, active.model.id))!), ['automobile engine']);
    const keys = async (index: typeof active) => (await index.search(query!, 5)).map((m) => m.key);
    expect(await keys(inProcess)).toEqual(await keys(active));
  });

  it('defaults to the hybrid mode', async () => {
    expect(DEFAULT_SEARCH_MODE).toBe('hybrid');
    await embedPendingPapers(ctx);
    expect(await searchPapers(ctx, { text: 'automobile', limit: 5 })).toEqual(
      await searchPapers(ctx, { text: 'automobile', mode: 'hybrid', limit: 5 }),
    );
  });
});

describe('the nearest-neighbour index on SQLite', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-index-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** The database file and a context around it, as a process that opens it has. */
  async function openFile(): Promise<AppContext> {
    const db = await openDatabase(join(dir, 'papers.db'));
    await migrate(db);
    return testContext(db);
  }

  async function closeFile(ctx: AppContext): Promise<void> {
    await ctx.close();
    await ctx.db.close();
  }

  /** A database file whose papers are embedded and searched once (so its index is saved); that search's answer. */
  async function embeddedFile(): Promise<{
    ctx: AppContext;
    before: Awaited<ReturnType<typeof searchPapers>>;
    file: string;
  }> {
    const ctx = await openFile();
    await upsertPapers(ctx.db, topicPapers());
    await embedPendingPapers(ctx);
    const before = await searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 5 });
    return { ctx, before, file: indexFile(ctx.db)! };
  }

  it('is saved beside the database and loaded after a restart, then catches up with new vectors', async () => {
    const site = await embeddedFile();
    let { ctx } = site;
    let { db } = ctx;
    const { before, file } = site;
    expect(existsSync(file)).toBe(true);
    await closeFile(ctx);

    ctx = await openFile();
    db = ctx.db;
    try {
      const model = (await activeEmbeddingModel(db))!;
      const { index, loaded } = await UsearchIndex.open(db, model, file);
      expect(loaded).toBe(true);
      expect(index.size()).toBe(24);
      expect(await searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 5 })).toEqual(before);
      await upsertPapers(db, [
        {
          ...topicPapers()[0]!,
          id: '2501.00999',
          title: 'Automobile fleets',
          abstract: 'Automobile fleet car management.',
        },
      ]);
      await embedPendingPapers(ctx);
      expect((await ctx.vectorIndexes.active(db))!.size()).toBe(25);
    } finally {
      await closeFile(ctx);
    }
  });

  it('rebuilds an index saved with 32-bit floats (before 16-bit vectors) in the new form, answering the same', async () => {
    const site = await embeddedFile();
    let { ctx } = site;
    let { db } = ctx;
    const { before, file } = site;
    // What the earlier version saved: a 32-bit graph of the same vectors, and a digest without a scalar kind.
    const model = (await activeEmbeddingModel(db))!;
    const rows = (await vectorsSince(db, model.id, -1, 0, 1000)).filter((r) => r.vector.some((x) => x !== 0));
    const old = new Index(hnswConfig(model.dimensions, 'f32'));
    const matrix = new Float32Array(rows.length * model.dimensions);
    for (const [i, r] of rows.entries()) matrix.set(r.vector, i * model.dimensions);
    old.add(
      BigUint64Array.from(rows, (r) => BigInt(r.key)),
      matrix,
    );
    await closeFile(ctx);
    old.save(file);
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    const meta = {
      modelId: model.id,
      dimensions: model.dimensions,
      revision: model.revision,
      size: rows.length,
      sha256,
    };
    writeFileSync(`${file}.json`, JSON.stringify(meta));

    ctx = await openFile();
    db = ctx.db;
    try {
      const rebuilt = await UsearchIndex.open(db, model, file);
      expect(rebuilt.loaded).toBe(false);
      await rebuilt.index.close();
      expect(await searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 5 })).toEqual(before);
      expect(JSON.parse(readFileSync(`${file}.json`, 'utf8')).scalar).toBe(VECTOR_SCALAR);
      const reopened = await UsearchIndex.open(db, model, file);
      expect(reopened.loaded).toBe(true);
      await reopened.index.close();
    } finally {
      await closeFile(ctx);
    }
  });

  it('rebuilds a damaged index file instead of trusting it', async () => {
    let ctx = await openFile();
    let { db } = ctx;
    await upsertPapers(db, topicPapers());
    await embedPendingPapers(ctx);
    await searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 5 });
    const file = indexFile(db)!;
    await closeFile(ctx);
    writeFileSync(file, 'not an index');

    ctx = await openFile();
    db = ctx.db;
    try {
      const model = (await activeEmbeddingModel(db))!;
      expect((await UsearchIndex.open(db, model, file)).loaded).toBe(false);
      expect(ids(await searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 6 }))).toContain(
        PARAPHRASED_ID,
      );
      expect((await ctx.vectorIndexes.active(db))!.size()).toBe(24);
    } finally {
      await closeFile(ctx);
    }
  });
});
