import { describe, expect, it } from 'vitest';
import { featuredAt, paperSource } from './paper-json.js';

describe('featuredAt', () => {
  it('is the submission time when the paper was submitted on its featured day', () => {
    expect(featuredAt({ featuredOn: '2026-11-27', submittedAt: '2026-11-27T09:30:00.000Z' })).toBe(
      '2026-11-27T09:30:00.000Z',
    );
  });

  it('is the start of the featured day when the submission happened on another day (an import of past days)', () => {
    expect(featuredAt({ featuredOn: '2025-01-15', submittedAt: '2026-11-29T12:00:00.000Z' })).toBe(
      '2025-01-15T00:00:00.000Z',
    );
    expect(featuredAt({ featuredOn: '2025-01-15', submittedAt: null })).toBe('2025-01-15T00:00:00.000Z');
    expect(featuredAt({ featuredOn: '2025-01-15', submittedAt: 'not a time' })).toBe('2025-01-15T00:00:00.000Z');
  });

  it('always has the millisecond form the huggingface_hub parser requires', () => {
    expect(featuredAt({ featuredOn: '2026-11-27', submittedAt: '2026-11-27T09:30:00Z' })).toBe(
      '2026-11-27T09:30:00.000Z',
    );
  });

  it('is null for a paper that was never featured', () => {
    expect(featuredAt({ featuredOn: null, submittedAt: null })).toBeNull();
  });
});

describe('paperSource', () => {
  it('names arXiv for arXiv ids and the prefix for source:id', () => {
    expect(paperSource('2203.06604')).toBe('arxiv');
    expect(paperSource('hep-th/9901001')).toBe('arxiv');
    expect(paperSource('doi:10.1101/2024.01.02.123456')).toBe('doi');
    expect(paperSource('openreview:abc123')).toBe('openreview');
  });
});
