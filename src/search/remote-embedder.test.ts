import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../app/context.js';
import { ConfigError, loadConfig } from '../config/index.js';
import type { Db } from '../db/connection.js';
import { activeEmbeddingModel, countVectors, vectorsOfPapers } from '../store/embeddings.js';
import { upsertPapers } from '../store/papers.js';
import { topicPapers } from '../../test/factories/topics.js';
import { testContext } from '../../test/helpers/context.js';
import { testDatabases } from '../../test/helpers/db.js';
import {
  startEmbeddingServer,
  STUB_DIMENSIONS,
  stubVector,
  type EmbeddingServerStub,
} from '../../test/helpers/embedding-server.js';
import { captureLogs } from '../../test/helpers/logs.js';
import { embedPendingPapers } from './embed-job.js';
import { answerSearch, searchPapers } from './search.js';
import { UsearchIndex } from './vector-index.js';

const PAPERS = topicPapers().length;

describe('EMBEDDING_URL settings', () => {
  it('needs a model name and an http(s) URL', () => {
    expect(() => loadConfig({ EMBEDDING_URL: 'http://127.0.0.1:8080' })).toThrow(/EMBEDDING_MODEL: required/);
    expect(() => loadConfig({ EMBEDDING_URL: 'file:///etc/passwd', EMBEDDING_MODEL: 'm' })).toThrow(ConfigError);
    expect(() => loadConfig({ EMBEDDING_URL: 'not a url', EMBEDDING_MODEL: 'm' })).toThrow(ConfigError);
    expect(() => loadConfig({ EMBEDDING_BATCH_SIZE: '0' })).toThrow(/EMBEDDING_BATCH_SIZE/);
    const config = loadConfig({ EMBEDDING_URL: 'http://127.0.0.1:8080/v1', EMBEDDING_MODEL: 'bge-small' });
    expect(config.EMBEDDING_BATCH_SIZE).toBe(64);
  });
});

describe.each(testDatabases())('an embeddings server on $dialect', ({ create }) => {
  let stub: EmbeddingServerStub;
  let db: Db;
  let ctx: AppContext;
  const contextFor = (env: Record<string, string> = {}) =>
    testContext(db, {
      EMBEDDING_URL: stub.url,
      EMBEDDING_MODEL: 'stub-small',
      EMBEDDING_API_KEY: 'secret-key-1',
      EMBEDDING_BATCH_SIZE: '5',
      EMBEDDING_CONCURRENCY: '2',
      EMBEDDING_BACKOFF_MS: '10',
      EMBEDDING_TIMEOUT_MS: '2000',
      ...env,
    });
  beforeAll(async () => {
    stub = await startEmbeddingServer();
  });
  afterAll(async () => {
    await stub.close();
  });
  beforeEach(async () => {
    stub.requests.length = 0;
    stub.maxInFlight = 0;
    stub.reply = () => ({ kind: 'vectors' });
    db = await create();
    await upsertPapers(db, topicPapers());
    ctx = contextFor();
  });
  afterEach(async () => {
    await ctx.close();
    await db.close();
  });

  it('embeds every paper in batches, a bounded number at once, and searches with its vectors', async () => {
    const run = await embedPendingPapers(ctx, { batchSize: 12 });
    expect(run).toMatchObject({ modelId: 'server:stub-small', embedded: PAPERS });
    const model = (await activeEmbeddingModel(db))!;
    expect(model.dimensions).toBe(STUB_DIMENSIONS);
    expect(await countVectors(db, model.id)).toBe(PAPERS);
    const papers = stub.requests.slice(1); // the first asks for one vector, to learn the dimensions
    expect(papers.every((r) => r.input.length <= 5 && r.model === 'stub-small')).toBe(true);
    expect(papers.reduce((sum, r) => sum + r.input.length, 0)).toBe(PAPERS);
    expect(stub.requests.every((r) => r.authorization === 'Bearer secret-key-1')).toBe(true);
    expect(stub.maxInFlight).toBe(2);

    // Stored as sent (in input order, though the server listed them backwards), at unit length.
    const first = topicPapers()[0]!;
    const stored = (await vectorsOfPapers(db, model.id, [first.id])).get(first.id)!.vector;
    const expected = stubVector(`${first.title}\n${first.abstract}`);
    const norm = Math.hypot(...expected);
    expect(Array.from(stored, (x) => Number(x.toFixed(5)))).toEqual(expected.map((x) => Number((x / norm).toFixed(5))));

    // A query is embedded by the server too: the paper's own text finds the paper first, in the
    // index in use (pgvector where installed) and in the in-process usearch index alike.
    const hits = await searchPapers(ctx, { text: `${first.title}\n${first.abstract}`, mode: 'semantic', limit: 3 });
    expect(hits[0]!.id).toBe(first.id);
    const active = (await ctx.vectorIndexes.active(db))!;
    const { index: inProcess } = await UsearchIndex.open(db, active.model, null);
    await inProcess.sync(db, active.model.revision);
    const query = Float32Array.from(expected, (x) => x / norm);
    expect((await inProcess.search(query, 3)).map((m) => m.key)).toEqual(
      (await active.search(query, 3)).map((m) => m.key),
    );
    await inProcess.close();
  });

  it('retries a failing server with backoff and honours Retry-After', async () => {
    const logs = captureLogs('warn');
    stub.reply = (n) =>
      n === 1
        ? { kind: 'status', status: 503, retryAfter: '0' }
        : n === 2
          ? { kind: 'status', status: 500 }
          : { kind: 'vectors' };
    const run = await embedPendingPapers(ctx, { logger: logs.logger });
    expect(run.embedded).toBe(PAPERS);
    expect(logs.atLeast(40).filter((e) => e.msg === 'embeddings server failed; retrying')).toHaveLength(2);
  });

  it('refuses wrong dimensions or NaN with a clear error, and nothing stored changes', async () => {
    await embedPendingPapers(testContext(db)); // the corpus-learned model and its vectors
    const before = (await activeEmbeddingModel(db))!;
    // Broken from the first answer: the model is never switched.
    stub.reply = () => ({ kind: 'vectors', poison: 3 });
    await expect(embedPendingPapers(ctx)).rejects.toThrow(/answered a vector with NaN or infinite values/);
    expect((await activeEmbeddingModel(db))!.id).toBe(before.id);
    expect(await countVectors(db, before.id)).toBe(PAPERS);

    // Broken mid-run: the batch is refused and not written, and the run stops.
    // The probe and two batches of 5 are answered well, the third batch is not.
    const start = stub.requests.length;
    stub.reply = (n) => (n - start < 3 ? { kind: 'vectors' } : { kind: 'vectors', dimensions: 12 });
    const next = contextFor({ EMBEDDING_CONCURRENCY: '1' });
    try {
      await expect(embedPendingPapers(next, { batchSize: 5 })).rejects.toThrow(
        /answered a vector of 12 dimensions; the model's vectors have 16/,
      );
      expect(await countVectors(db, 'server:stub-small')).toBe(10);
      // A server that answers the wrong count or shape is refused the same way.
      stub.reply = () => ({ kind: 'json', body: { data: [{ embedding: 'nope' }] } });
      await expect(embedPendingPapers(next)).rejects.toThrow(/answered 1 embeddings for \d+ texts/);
      stub.reply = () => ({ kind: 'status', status: 400, body: 'input too long <script>' });
      await expect(embedPendingPapers(next)).rejects.toThrow(/answered 400: input too long/);
      expect(await countVectors(db, 'server:stub-small')).toBe(10);
    } finally {
      await next.close();
    }
  });

  it('re-embeds everything when the model changes, with progress in the log', async () => {
    await embedPendingPapers(ctx);
    const logs = captureLogs('info');
    const other = contextFor({ EMBEDDING_MODEL: 'stub-large' });
    try {
      const run = await embedPendingPapers(other, { logger: logs.logger });
      expect(run).toMatchObject({ modelId: 'server:stub-large', embedded: PAPERS });
      expect(await countVectors(db, 'server:stub-small')).toBe(0);
      expect(stub.requests.at(-1)!.model).toBe('stub-large');
      expect(logs.entries.find((e) => e.msg.startsWith('embeddings server model activated'))).toMatchObject({
        model: 'server:stub-large',
        previous: 'server:stub-small',
      });
      const progress = logs.entries.filter((e) => e.msg === 'embedding papers');
      expect(progress.at(0)).toMatchObject({ done: 0, total: PAPERS });
      expect(progress.at(-1)).toMatchObject({ done: PAPERS, total: PAPERS });
    } finally {
      await other.close();
    }
  });

  it('answers a hybrid search by words while the server is down, and a semantic one as unavailable', async () => {
    await embedPendingPapers(ctx);
    await ctx.vectorIndexes.active(db);
    stub.reply = () => ({ kind: 'status', status: 502 });
    const answer = await answerSearch(ctx, { text: 'automobile', mode: 'hybrid', limit: 5 });
    expect(answer.answeredBy).toBe('lexical');
    expect(answer.hits.length).toBeGreaterThan(0);
    await expect(searchPapers(ctx, { text: 'automobile', mode: 'semantic', limit: 5 })).rejects.toThrow(/answered 502/);
    // Without the settings, vectors from a server model are not mistaken for another model's.
    const unset = testContext(db);
    try {
      await expect(searchPapers(unset, { text: 'automobile', mode: 'semantic', limit: 5 })).rejects.toThrow(
        /embeddings server model stub-small; set EMBEDDING_URL/,
      );
    } finally {
      await unset.close();
    }
  });
});
