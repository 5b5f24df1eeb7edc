import { describe, expect, it } from 'vitest';
import { extractiveSummary, MAX_SUMMARY_LENGTH, sentenceCentrality, shorten } from './summary.js';

const flat = () => 1;

describe('sentenceCentrality', () => {
  it('scores the sentence most like the others highest, and sums to one', () => {
    const v = (terms: Record<string, number>) => {
      const norm = Math.hypot(...Object.values(terms));
      return new Map(Object.entries(terms).map(([t, w]) => [t, w / norm]));
    };
    const scores = sentenceCentrality([v({ a: 1, b: 1 }), v({ a: 1, b: 1, c: 1 }), v({ c: 1, d: 1 }), v({ z: 1 })]);
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
    expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
});

describe('extractiveSummary', () => {
  it('picks the sentence saying what the paper does, central to the abstract', () => {
    const abstract =
      'Large language models are widely deployed in many products today. ' +
      'We propose sparse attention routing, which lets language models skip irrelevant attention heads during decoding. ' +
      'Sparse attention routing cuts decoding latency of language models by half. ' +
      'The weather was pleasant during the experiments last summer.';
    expect(extractiveSummary(abstract, flat)).toBe(
      'We propose sparse attention routing, which lets language models skip irrelevant attention heads during decoding.',
    );
  });

  it('returns one sentence for one sentence, and null for no text', () => {
    expect(extractiveSummary('A single sentence about graph neural networks', flat)).toBe(
      'A single sentence about graph neural networks',
    );
    expect(extractiveSummary('   ', flat)).toBeNull();
    expect(extractiveSummary('. ; !', flat)).toBeNull();
  });

  it('cuts a very long sentence at a word outside math, with an ellipsis', () => {
    const long = `We show ${'that the bound $a + b = c$ holds '.repeat(20)}.`;
    const summary = extractiveSummary(long, flat)!;
    expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH + 1);
    expect(summary.endsWith('…')).toBe(true);
    expect((summary.match(/\$/g) ?? []).length % 2).toBe(0);
    expect(shorten(`$${'x'.repeat(400)}$`)).toBe('…');
  });
});
