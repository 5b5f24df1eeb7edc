import { describe, expect, it } from 'vitest';
import { topicPapers } from '../../test/factories/topics.js';
import { decodeCorpusModel, embedCorpus, encodeCorpusModel, fitCorpusModel } from './corpus-model.js';
import { dot } from './linalg.js';
import { embedLsa, encodeLsa } from './lsa.js';
import { embedSif } from './word-vectors.js';

const texts = topicPapers().map((p) => `${p.title}\n${p.abstract}`);
const mixed = fitCorpusModel(texts, {
  lsa: { dimensions: 4 },
  sif: { dimensions: 8, epochs: 20, minCount: 1, subsample: 1e-2, share: 0.3 },
});

describe('a corpus model mixing LSA and SIF word vectors', () => {
  it('scores two texts by the share-weighted mean of the two models’ cosines', () => {
    const pair = ['automobile engine', 'car battery'];
    const [a, b] = embedCorpus(mixed, pair);
    const [la, lb] = embedLsa(mixed.lsa, pair);
    const [sa, sb] = embedSif(mixed.sif!, pair);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(dot(a!, b!)).toBeCloseTo(0.7 * dot(la!, lb!) + 0.3 * dot(sa!, sb!), 5);
  });

  it('gives zeros to a text neither model knows a word of', () => {
    const [unknown] = embedCorpus(mixed, ['zeppelin']);
    expect([...unknown!].every((x) => x === 0)).toBe(true);
  });

  it('round-trips through its byte form, embedding identically', () => {
    const copy = decodeCorpusModel(new Uint8Array(encodeCorpusModel(mixed)));
    expect(copy.sifShare).toBe(0.3);
    expect(embedCorpus(copy, ['poem rhyme', texts[3]!])).toEqual(embedCorpus(mixed, ['poem rhyme', texts[3]!]));
  });

  it('reads an LSA model stored by an earlier version as LSA alone', () => {
    const stored = new Uint8Array(encodeLsa(mixed.lsa));
    const model = decodeCorpusModel(stored);
    expect(model.sif).toBeNull();
    expect(embedCorpus(model, ['galaxy star'])).toEqual(embedLsa(mixed.lsa, ['galaxy star']));
  });
});
