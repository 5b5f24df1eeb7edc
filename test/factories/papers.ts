import type { PaperRecord } from '../../src/store/papers.js';

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
