import type { Db } from '../../src/db/connection.js';
import { upsertPapers, type PaperRecord } from '../../src/store/papers.js';
import { paperRecord } from '../factories/papers.js';

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
