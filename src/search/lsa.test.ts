import { describe, expect, it } from 'vitest';
import { topicPapers } from '../../test/factories/topics.js';
import { analyze, decodeLsa, embedLsa, encodeLsa, fitLsa } from './lsa.js';

const texts = topicPapers().map((p) => `${p.title}\n${p.abstract}`);
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('analyze', () => {
  it('keeps stemmed content words and drops stop words, punctuation and single letters', () => {
    expect(analyze('The Engines of an automobile, e.g. cars!')).toEqual(['engin', 'automobil', 'car']);
    expect(analyze('🚗 ✨ "" AND OR')).toEqual([]);
  });
});

describe('fitLsa and embedLsa', () => {
  const model = fitLsa(texts, { dimensions: 4 });

  it('relates words that co-occur in the corpus, so a query meets papers without its words', () => {
    const [automobile, car, protein] = embedLsa(model, ['automobile', 'car', 'protein']);
    expect(dot(automobile!, car!)).toBeGreaterThan(0.9);
    expect(dot(automobile!, protein!)).toBeLessThan(0.2);
  });

  it('gives unit vectors, and zeros to a text with no known word', () => {
    const [known, unknown] = embedLsa(model, ['galaxy star', 'zeppelin']);
    expect(Math.hypot(...known!)).toBeCloseTo(1, 5);
    expect([...unknown!].every((x) => x === 0)).toBe(true);
  });

  it('round-trips through its byte form, embedding identically', () => {
    const copy = decodeLsa(new Uint8Array(encodeLsa(model)));
    expect(copy.vocabulary).toEqual(model.vocabulary);
    expect(embedLsa(copy, ['poem rhyme'])).toEqual(embedLsa(model, ['poem rhyme']));
  });

  it('is reproducible: the same corpus gives the same model', () => {
    expect(fitLsa(texts, { dimensions: 4 }).projection).toEqual(model.projection);
  });
});
