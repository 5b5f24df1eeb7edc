import { describe, expect, it } from 'vitest';
import { matchTopic, MAX_TOPICS, parseTopic, parseTopics, type CandidatePaper } from './topics.js';

function paper(id: string, title: string, overrides: Partial<CandidatePaper> = {}): CandidatePaper {
  return {
    id,
    title,
    abstract: '',
    categories: ['cs.LG'],
    authorKeys: [],
    upvotes: 0,
    publishedOn: '2026-11-28',
    ...overrides,
  };
}

describe('parseTopic', () => {
  it('tells arXiv categories from saved searches', () => {
    expect(parseTopic('cs.CL')).toEqual({ kind: 'category', value: 'cs.CL' });
    expect(parseTopic(' hep-th ')).toEqual({ kind: 'category', value: 'hep-th' });
    expect(parseTopic('cond-mat.mes-hall')).toEqual({ kind: 'category', value: 'cond-mat.mes-hall' });
    expect(parseTopic('Efficient   Attention')).toEqual({
      kind: 'search',
      value: 'Efficient Attention',
      terms: ['efficient', 'attention'],
    });
    expect(parseTopic('attention')).toMatchObject({ kind: 'search' });
  });

  it('rejects empty, punctuation-only and oversized topics', () => {
    expect(parseTopic('')).toBeNull();
    expect(parseTopic('   ')).toBeNull();
    expect(parseTopic('"); DROP TABLE --')).toMatchObject({ kind: 'search', terms: ['drop', 'table'] });
    expect(parseTopic('*&^%')).toBeNull();
    expect(parseTopic('a'.repeat(101))).toBeNull();
  });
});

describe('parseTopics', () => {
  it('collapses duplicates and refuses 1,000 topics with a clear message', () => {
    expect(parseTopics(['cs.CL', 'CS.cl', 'efficient attention'])).toMatchObject({
      ok: true,
      topics: [{ value: 'cs.CL' }, { value: 'efficient attention' }],
    });
    const many = parseTopics(Array.from({ length: 1000 }, (_, i) => `topic ${i}`));
    expect(many).toEqual({ ok: false, error: `at most ${MAX_TOPICS} topics per subscription (got 1000)` });
    expect(parseTopics(['cs.CL', '!!!'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('not a topic: "!!!"'),
    });
  });
});

describe('matchTopic', () => {
  const papers = [
    paper('a', 'Efficient attention for long sequences', { upvotes: 3 }),
    paper('b', 'Sparse transformers', { abstract: 'We make attention efficient with sparsity.', upvotes: 9 }),
    paper('c', 'Efficient convolutions', { upvotes: 20 }),
    paper('d', 'Attentional pooling done efficiently', { upvotes: 3, categories: ['cs.CL', 'cs.LG'] }),
    paper('e', 'Graph networks', { upvotes: 50, categories: ['cs.CL'] }),
  ];

  it('needs every word of a saved search, as a word or word prefix, best first', () => {
    const ids = matchTopic(parseTopic('efficient attention')!, papers).map((p) => p.id);
    // b has the most upvotes; a and d tie on upvotes and a has both words in the title.
    expect(ids).toEqual(['b', 'a', 'd']);
    expect(matchTopic(parseTopic('tent')!, papers)).toEqual([]);
  });

  it('matches a category case-insensitively, most upvoted first', () => {
    expect(matchTopic(parseTopic('cs.cl')!, papers).map((p) => p.id)).toEqual(['e', 'd']);
  });
});
