import type { Db } from '../../src/db/connection.js';
import { upsertPapers, type Paper, type PaperRecord } from '../../src/store/papers.js';

let sequence = 0;

/** A valid paper record with a unique new-style arXiv id; override any field. */
export function paperRecord(overrides: Partial<PaperRecord> = {}): PaperRecord {
  sequence++;
  return {
    id: `2501.${String(10000 + sequence).padStart(5, '0')}`,
    title: `A study of things number ${sequence}`,
    abstract: `We study things. This is abstract ${sequence}.`,
    authors: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }],
    categories: ['cs.LG', 'cs.AI'],
    publishedOn: '2025-01-15',
    ...overrides,
  };
}

/** A stored-looking Paper (as the store returns it) for testing pure renderers; override any field. */
export function paper(overrides: Partial<Paper> = {}): Paper {
  const record = paperRecord();
  return {
    id: record.id,
    title: record.title,
    abstract: record.abstract,
    authors: record.authors,
    categories: record.categories,
    primaryCategory: record.categories[0] ?? null,
    publishedOn: record.publishedOn,
    revisedOn: record.publishedOn,
    version: 1,
    versions: [{ version: 1, date: record.publishedOn }],
    doi: null,
    journalRef: null,
    comments: null,
    license: null,
    githubUrl: null,
    projectUrl: null,
    featuredOn: null,
    submittedBy: null,
    submittedAt: null,
    upvotes: 0,
    numComments: 0,
    trendingScore: 0,
    hidden: false,
    createdAt: '2025-01-15T00:00:00.000Z',
    modifiedAt: '2025-01-15T00:00:00.000Z',
    aiSummary: null,
    aiKeywords: [],
    githubStars: null,
    codeLinks: [],
    ...overrides,
  };
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
