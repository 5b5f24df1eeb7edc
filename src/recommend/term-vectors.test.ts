import { describe, expect, it } from 'vitest';
import { centroidSimilarities, dotSparse, termCounts, tfIdfVectors } from './term-vectors.js';

const paper = (title: string, abstract = '') => ({ title, abstract });

describe('term vectors', () => {
  it('counts stemmed words and adjacent pairs, title words twice, as ascending distinct columns', () => {
    const counts = termCounts(paper('Graph networks', 'graph networks of graphs'));
    // graph (2 title + 2 abstract, "graphs" stems alike), network (2 + 1), "graph network" (2 + 1), "network graph" (1)
    expect(counts.columns.length).toBe(4);
    expect([...counts.columns]).toEqual([...counts.columns].sort((a, b) => a - b));
    expect(new Set(counts.columns).size).toBe(4);
    expect([...counts.tf].map((x) => Math.round(x * 1000) / 1000).sort()).toEqual(
      [1, 1 + Math.log(3), 1 + Math.log(3), 1 + Math.log(4)].map((x) => Math.round(x * 1000) / 1000).sort(),
    );
  });

  it('gives no terms for text without words, and survives long and odd text', () => {
    expect(termCounts(paper('', '')).columns.length).toBe(0);
    expect(termCounts(paper('—', '%%% \u0000 😀')).columns.length).toBe(0);
    // A 10,000-letter "word" is no word; 50,000 of one word are that word and its pair with itself.
    const long = termCounts(paper('x'.repeat(10_000), 'ab '.repeat(50_000)));
    expect(long.columns.length).toBe(2);
    expect(Math.max(...long.tf)).toBeCloseTo(1 + Math.log(50_000), 3);
  });

  it('weights by idf over the documents at hand, each vector of unit length', () => {
    const [a, b, c] = tfIdfVectors([
      termCounts(paper('sparse attention')),
      termCounts(paper('sparse protein')),
      termCounts(paper('protein folding')),
    ]);
    for (const v of [a!, b!, c!]) expect(dotSparse(v, v)).toBeCloseTo(1, 5);
    // "attention" is in one document, "sparse" in two: the rarer word weighs more.
    expect(dotSparse(a!, b!)).toBeGreaterThan(0);
    expect(dotSparse(a!, c!)).toBe(0);
    const empty = tfIdfVectors([termCounts(paper(''))])[0]!;
    expect(dotSparse(empty, empty)).toBe(0);
  });

  it('scores targets by cosine with the centroid, and again alike on a second call', () => {
    const vectors = tfIdfVectors([
      termCounts(paper('sparse attention transformers')),
      termCounts(paper('sparse attention for long documents')),
      termCounts(paper('sparse attention heads')),
      termCounts(paper('medieval tax records')),
    ]);
    const liked = vectors.slice(0, 2);
    const targets = vectors.slice(2);
    const first = centroidSimilarities(liked, targets);
    expect(first[0]).toBeGreaterThan(0);
    expect(first[1]).toBe(0);
    expect(centroidSimilarities(liked, targets)).toEqual(first);
    expect([...centroidSimilarities([], targets)]).toEqual([0, 0]);
    // One liked paper: the centroid is that paper, so the similarity is the plain cosine.
    expect(centroidSimilarities([liked[0]!], [targets[0]!])[0]).toBeCloseTo(dotSparse(liked[0]!, targets[0]!), 5);
  });
});
