import { describe, expect, it } from 'vitest';
import { expansionTerms } from './_rm3.js';
import { contentWords } from '../src/search/lsa.js';

const paper = (text: string, score: number) => ({ words: contentWords(text), score });

describe('expansionTerms', () => {
  const feedback = [
    paper('Protein folding predicted by deep networks; folding of proteins', 10),
    paper('Deep networks for protein structure and folding', 8),
    paper('Galaxy rotation curves', 1),
  ];

  it('takes words the top papers share, weighted by their scores, and leaves out the query’s own', () => {
    const terms = expansionTerms(feedback, new Set(contentWords('protein').map((w) => w.term)), 5);
    expect(terms.map((t) => t.term)).toEqual(['fold', 'deep', 'network']);
    expect(terms.map((t) => t.word)).toEqual(['folding', 'deep', 'networks']);
    expect(terms.reduce((sum, t) => sum + t.weight, 0)).toBeCloseTo(1, 6);
  });

  it('ignores words only one paper uses, and keeps at most `count`', () => {
    const terms = expansionTerms(feedback, new Set(), 2);
    expect(terms).toHaveLength(2);
    expect(terms.map((t) => t.term)).not.toContain('galaxi');
    expect(terms.map((t) => t.term)).not.toContain('structur');
  });

  it('gives nothing for no feedback, empty papers, or zero and negative scores without NaN', () => {
    expect(expansionTerms([], new Set(), 10)).toEqual([]);
    expect(expansionTerms([paper('', 3), paper('🚗 ""', 2)], new Set(), 10)).toEqual([]);
    const terms = expansionTerms([paper('cell biology', 0), paper('cell division', -2)], new Set(), 10);
    expect(terms.map((t) => [t.term, t.weight])).toEqual([['cell', 1]]);
  });
});
