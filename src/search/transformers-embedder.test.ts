import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/connection.js';
import { TINY_DIMENSIONS, writeTinyModel } from '../../test/fixtures/tiny-model.js';
import { PARAPHRASED_ID, topicPapers } from '../../test/factories/topics.js';
import { testContext } from '../../test/helpers/context.js';
import { testDatabases } from '../../test/helpers/db.js';
import type { AppContext } from '../app/context.js';
import { activeEmbeddingModel, countVectors } from '../store/embeddings.js';
import { upsertPapers } from '../store/papers.js';
import { embedPendingPapers } from './embed-job.js';
import { searchPapers } from './search.js';
import { loadTransformersEmbedder, resolveModelFolder, transformersModelId } from './transformers-embedder.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

let dir: string;
let folder: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dailypapers-model-'));
  folder = writeTinyModel(join(dir, 'tiny-model'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a transformers.js model from a local folder (EMBEDDING_MODEL)', () => {
  it('loads through onnxruntime and embeds with mean pooling into unit vectors', async () => {
    const embedder = await loadTransformersEmbedder(folder, 'transformers:tiny-model');
    expect(embedder.dimensions).toBe(TINY_DIMENSIONS);
    const [car, automobile, engine, protein, unknown] = await embedder.embed([
      'car',
      'Automobile',
      'car engine',
      'protein',
      'zeppelin',
    ]);
    expect(Math.hypot(...car!)).toBeCloseTo(1, 5);
    expect(dot(car!, automobile!)).toBeCloseTo(1, 5);
    expect(dot(car!, engine!)).toBeGreaterThan(0.95);
    expect(dot(car!, protein!)).toBeCloseTo(0, 5);
    expect([...unknown!]).toEqual([0, 0, 0, 0]);
  });

  it('finds a model in the Hugging Face hub cache by its name', () => {
    const previous = process.env.HF_HOME;
    const snapshot = join(dir, 'hf', 'hub', 'models--tiny-org--tiny-model', 'snapshots', 'abc123');
    mkdirSync(snapshot, { recursive: true });
    writeTinyModel(snapshot);
    process.env.HF_HOME = join(dir, 'hf');
    try {
      expect(resolveModelFolder('tiny-org/tiny-model')).toBe(snapshot);
      expect(() => resolveModelFolder('nobody/none')).toThrow(/not in the Hugging Face hub cache/);
    } finally {
      if (previous === undefined) delete process.env.HF_HOME;
      else process.env.HF_HOME = previous;
    }
  });
});

describe.each(testDatabases())('semantic search with a transformers model on $dialect', ({ create }) => {
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

  it('replaces the corpus-learned vectors and searches with the model', async () => {
    await embedPendingPapers(ctx);
    const run = await embedPendingPapers(ctx, { embeddingModel: folder });
    expect(run).toMatchObject({ modelId: transformersModelId(folder), embedded: 24 });
    const model = (await activeEmbeddingModel(db))!;
    expect(model).toMatchObject({ kind: 'transformers', dimensions: TINY_DIMENSIONS });
    expect(await countVectors(db, model.id)).toBe(24);
    const hits = await searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 6 });
    expect(hits.map((h) => h.id)).toContain(PARAPHRASED_ID);
    expect(hits.every((h) => h.id.startsWith('2501.001'))).toBe(true);
  });
});
