import { describe, expect, it } from 'vitest';
import { countDocumentFrequencies, extractKeywords, MAX_KEYWORDS, MIN_KEYWORDS, wordKeys } from './keywords.js';

const corpus = countDocumentFrequencies([
  ...Array.from({ length: 50 }, (_, i) => `We propose models and networks for data number ${i}. Results show gains.`),
  'Sparse attention for long documents.',
  'Graph neural networks for molecules.',
]);

describe('extractKeywords', () => {
  const title = 'Sparse Attention Routing for Long-Context Language Models';
  const abstract =
    'We propose sparse attention routing, a method that lets large language models skip attention heads. ' +
    'Sparse attention routing halves decoding latency on long-context benchmarks such as LongBench, ' +
    'with $O(n \\log n)$ cost, on LongBench too. Code: https://github.com/acme/sar. Language models keep their accuracy.';

  it('finds 5–8 phrases, rare repeated ones first, without function words, math or URLs', () => {
    const keywords = extractKeywords(title, abstract, corpus);
    expect(keywords.length).toBeGreaterThanOrEqual(MIN_KEYWORDS);
    expect(keywords.length).toBeLessThanOrEqual(MAX_KEYWORDS);
    expect(keywords[0]).toBe('sparse attention routing');
    expect(keywords).toContain('LongBench');
    expect(keywords).toContain('long-context');
    expect(keywords.join(' ')).not.toMatch(/\b(we|a|for|propose|method)\b|acme|github|log|\$/);
  });

  it('says a thing once: no phrase sharing half its words with a better one', () => {
    const keywords = extractKeywords(title, abstract, corpus);
    expect(keywords.filter((k) => /language models/.test(k))).toHaveLength(1);
    expect(keywords).not.toContain('attention routing');
  });

  it('keeps acronyms and inner capitals, lower-cases the rest', () => {
    expect(
      extractKeywords('Adapters for BERT with LoRA', 'BERT and LoRA adapters. Adapters for BERT.', corpus),
    ).toEqual(expect.arrayContaining(['BERT', 'LoRA', 'adapters']));
  });

  it('gives nothing for text without content words, and survives hostile text', () => {
    expect(extractKeywords('', '', corpus)).toEqual([]);
    expect(extractKeywords('The of and', '$$ \\frac{1}{2} $$ 12 34', corpus)).toEqual([]);
    const hostile = `<script>alert(1)</script> ' OR 1=1 -- ${'a'.repeat(10_000)} \u202e`;
    expect(extractKeywords(hostile, hostile, corpus).every((k) => k.length <= 40 * 3 + 2)).toBe(true);
  });
});

describe('wordKeys', () => {
  it('stems each part of a hyphenated word, so spellings meet', () => {
    expect(wordKeys('Hand-Gesture')).toEqual(wordKeys('hand').concat(wordKeys('gestures')));
  });
});
