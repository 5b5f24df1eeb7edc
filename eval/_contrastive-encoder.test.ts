import { describe, expect, it } from 'vitest';
import { dot } from '../src/search/linalg.js';
import { embedContrastive, featureBuckets, fitContrastive } from './_contrastive-encoder.js';

const topics = [
  [
    'protein folding',
    'Chaperones assist protein folding in the cell. Misfolded proteins aggregate into amyloid fibrils.',
  ],
  ['galaxy clusters', 'Dark matter halos shape galaxy clusters. Gravitational lensing maps the halo mass.'],
  [
    'graph neural networks',
    'Message passing layers aggregate node features. Graph convolution generalises convolution to graphs.',
  ],
  ['solar cells', 'Perovskite absorbers raise photovoltaic efficiency. Solar cells convert sunlight into current.'],
  [
    'malaria vaccines',
    'Plasmodium antigens trigger antibody responses. Vaccine trials measured malaria infection rates.',
  ],
  ['quantum error correction', 'Surface codes protect logical qubits. Stabiliser measurements detect qubit errors.'],
  ['soil bacteria', 'Rhizobia fix nitrogen in root nodules. Soil microbiomes change crop yield.'],
  [
    'speech recognition',
    'Acoustic models map audio frames to phonemes. Language models rescore transcription hypotheses.',
  ],
] as const;
const papers = topics.map(([title, abstract]) => ({ title, abstract }));

describe('contrastive bag-of-n-grams encoder', () => {
  it('hashes a text to its stems and bigrams, the same buckets every time', () => {
    const buckets = featureBuckets('Protein folding in cells', 18);
    expect(buckets).toHaveLength(5); // protein, fold, cell + two bigrams
    expect(featureBuckets('Protein folding in cells', 18)).toEqual(buckets);
    expect(featureBuckets('', 18)).toHaveLength(0);
  });

  it('learns to place each title nearest its own abstract', () => {
    const model = fitContrastive(papers, { dimensions: 32, bucketBits: 12, epochs: 60, batchSize: 8, pairs: 'title' });
    const titles = embedContrastive(
      model,
      papers.map((p) => p.title),
    );
    const abstracts = embedContrastive(
      model,
      papers.map((p) => p.abstract),
    );
    const nearest = titles.map((t) =>
      abstracts.map((a) => dot(t, a)).reduce((best, s, i, all) => (s > all[best]! ? i : best), 0),
    );
    expect(nearest).toEqual(papers.map((_, i) => i));
    expect(Math.hypot(...titles[0]!)).toBeCloseTo(1, 5);
  });

  it('gives a text with no word seen in training a zero vector, not noise', () => {
    const model = fitContrastive(papers, { dimensions: 16, bucketBits: 18, epochs: 1, batchSize: 8 });
    expect([...embedContrastive(model, ['zzyzx qqxv'])[0]!].every((x) => x === 0)).toBe(true);
  });
});
