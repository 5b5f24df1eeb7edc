import type { Paper, PaperRecord } from '../../src/store/papers.js';

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

/** A paper as the store returns it, for pure functions that render one; override any field. */
export function storedPaper(overrides: Partial<Paper> = {}): Paper {
  return {
    id: '2203.06604',
    title: 'Masked Autoencoders',
    abstract: 'We mask patches.',
    authors: [{ name: 'Kaiming He' }, { name: 'Xinlei Chen' }],
    categories: ['cs.CV'],
    primaryCategory: 'cs.CV',
    publishedOn: '2022-03-11',
    revisedOn: '2022-03-11',
    version: 1,
    versions: [],
    doi: null,
    journalRef: null,
    comments: null,
    license: null,
    githubUrl: null,
    projectUrl: null,
    featuredOn: null,
    submittedBy: null,
    submittedAt: null,
    upvotes: 3,
    numComments: 1,
    trendingScore: 0,
    hidden: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    modifiedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
