import { describe, expect, it } from 'vitest';
import { topicPapers } from '../test/factories/topics.js';
import { dot } from '../src/search/linalg.js';
import { embedSif, firstPrincipalComponent, fitSif, removeComponent, sifWeights } from './_word-vectors.js';

describe('sifWeights', () => {
  it('weighs rare words near 1 and frequent words little, a / (a + p)', () => {
    const [common, rare] = sifWeights([999_000, 1_000], 1e-3);
    expect(common).toBeCloseTo(1e-3 / (1e-3 + 0.999), 6);
    expect(rare).toBeCloseTo(0.5, 6);
  });

  it('gives no NaN for an empty vocabulary or zero counts', () => {
    expect([...sifWeights([])]).toEqual([]);
    expect([...sifWeights([0, 0])]).toEqual([1, 1]);
  });
});

describe('firstPrincipalComponent and removeComponent', () => {
  it('finds the direction the rows share and takes it out of a vector', () => {
    const rows = [
      [3, 0.1, 0],
      [2.5, -0.2, 0.1],
      [-3, 0, 0.1],
    ].map((r) => Float32Array.from(r));
    const component = firstPrincipalComponent(rows, 3);
    expect(Math.abs(component[0]!)).toBeGreaterThan(0.99);
    const rest = removeComponent(Float32Array.from([2, 1, 1]), component);
    expect(dot(rest, component)).toBeCloseTo(0, 5);
    expect(rest[1]).toBeCloseTo(1, 1);
  });

  it('gives the zero vector when every row is zero', () => {
    const component = firstPrincipalComponent([new Float32Array(4)], 4);
    expect([...component]).toEqual([0, 0, 0, 0]);
    expect([...removeComponent(Float32Array.from([1, 2, 3, 4]), component)]).toEqual([1, 2, 3, 4]);
  });
});

const papers = topicPapers();
const texts = papers.map((p) => `${p.title}\n${p.abstract}`);

describe.each([
  {
    method: 'sgns' as const,
    model: fitSif(texts, { dimensions: 16, epochs: 40, minCount: 1, subsample: 1e-2, seed: 7 }),
  },
  { method: 'ppmi' as const, model: fitSif(texts, { dimensions: 8, method: 'ppmi', minCount: 1 }) },
])('fitSif ($method) and embedSif', ({ model }) => {
  it('puts a paper nearer its own title than other papers’ titles', () => {
    const abstracts = embedSif(
      model,
      papers.map((p) => p.abstract),
    );
    const titles = embedSif(
      model,
      papers.map((p) => p.title),
    );
    let nearestOwn = 0;
    abstracts.forEach((a, i) => {
      const own = dot(a, titles[i]!);
      const others = titles.filter((_, j) => j !== i).map((t) => dot(a, t));
      if (others.filter((o) => o >= own).length <= others.length / 4) nearestOwn++;
    });
    expect(nearestOwn / papers.length).toBeGreaterThan(0.75);
  });

  it('gives unit vectors, and zeros to a text with no known word or no words at all', () => {
    const [known, unknown, empty] = embedSif(model, [texts[0]!, 'zeppelin quokka', '🚗 "" ']);
    expect(Math.hypot(...known!)).toBeCloseTo(1, 5);
    expect([...unknown!].every((x) => x === 0)).toBe(true);
    expect([...empty!].every((x) => x === 0)).toBe(true);
  });
});

describe('fitSif', () => {
  it('is reproducible: the same corpus and seed give the same vectors', () => {
    const options = { dimensions: 8, epochs: 5, minCount: 1, seed: 3 };
    expect(fitSif(texts, options).vectors).toEqual(fitSif(texts, options).vectors);
  });

  it('fits an empty corpus to a model that embeds everything as zeros', () => {
    for (const method of ['sgns', 'ppmi'] as const) {
      const empty = fitSif([], { dimensions: 8, method });
      expect([...embedSif(empty, ['anything'])[0]!].every((x) => x === 0)).toBe(true);
    }
  });
});
