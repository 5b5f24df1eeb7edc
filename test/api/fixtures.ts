import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { upsertPapers, type PaperRecord } from '../../src/store/papers.js';
import { paperRecord } from '../factories/papers.js';
import type { TestDatabase } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * A fresh database and the real app over loopback for the enclosing suite; `seed` runs before
 * the tests. Read `db` and `server` inside tests (they are set in beforeAll).
 */
export function serveFreshDatabase(create: TestDatabase['create'], seed: (db: Db) => Promise<void> = async () => {}) {
  const context = {} as { db: Db; server: TestServer };
  beforeAll(async () => {
    context.db = await create();
    context.server = await startTestServer(context.db);
    await seed(context.db);
  });
  afterAll(async () => {
    await context.server?.close();
    await context.db?.close();
  });
  return context;
}

export interface FeaturedPaper {
  day: string;
  submitter?: string;
  upvotes?: number;
  trendingScore?: number;
  hidden?: boolean;
  record?: Partial<PaperRecord>;
}

/**
 * Stores papers featured on the given days with the given counters, and returns their ids in order.
 * Counters are set on the row directly: votes and the trending job that derive them are other parts.
 */
export async function featurePapers(db: Db, papers: FeaturedPaper[]): Promise<string[]> {
  const ids: string[] = [];
  for (const spec of papers) {
    const record = paperRecord(spec.record);
    await upsertPapers(db, [record], { featuredOn: spec.day, submittedBy: spec.submitter ?? 'curator' });
    await db.kysely
      .updateTable('papers')
      .set({ upvotes: spec.upvotes ?? 0, trending_score: spec.trendingScore ?? 0, hidden: spec.hidden ? 1 : 0 })
      .where('id', '=', record.id)
      .execute();
    ids.push(record.id);
  }
  return ids;
}

export async function getJson(url: string): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: await response.json() };
}
