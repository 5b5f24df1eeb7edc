import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, scoreFusion, weightedScoreFusion } from './fusion.js';

const hits = (...ids: string[]) => ids.map((id, i) => ({ id, score: 10 - i }));

describe('reciprocalRankFusion', () => {
  it('ranks papers both lists rank above papers only one ranks', () => {
    const fused = reciprocalRankFusion([
      { hits: hits('a', 'b', 'c'), weight: 1 },
      { hits: hits('d', 'c', 'a'), weight: 1 },
    ]);
    expect(fused.map((h) => h.id).slice(0, 2)).toEqual(['a', 'c']);
    expect(fused).toHaveLength(4);
  });

  it('lets a heavier list decide between single-list papers', () => {
    const fused = reciprocalRankFusion([
      { hits: hits('a'), weight: 0.5 },
      { hits: hits('b'), weight: 1 },
    ]);
    expect(fused.map((h) => h.id)).toEqual(['b', 'a']);
  });
});

describe('weightedScoreFusion', () => {
  it('scales each list to [0, 1] before weighting, so score units do not matter', () => {
    const fused = weightedScoreFusion([
      {
        hits: [
          { id: 'a', score: 1000 },
          { id: 'b', score: 500 },
        ],
        weight: 0.5,
      },
      {
        hits: [
          { id: 'b', score: 0.9 },
          { id: 'a', score: 0.1 },
        ],
        weight: 1,
      },
    ]);
    expect(fused.map((h) => h.id)).toEqual(['b', 'a']);
  });

  it('gives nothing for an empty list', () => {
    expect(weightedScoreFusion([{ hits: [], weight: 1 }])).toEqual([]);
  });
});

describe('scoreFusion', () => {
  it('keeps every lexical hit above a paper only the semantic side found, at a small weight', () => {
    const fused = scoreFusion(
      [
        { id: 'a', score: 10 },
        { id: 'b', score: 2 },
      ],
      new Map([
        ['a', 0.1],
        ['b', 0.2],
        ['c', 0.9],
      ]),
      0.1,
    );
    expect(fused.map((h) => h.id)).toEqual(['a', 'b', 'c']);
  });

  it('lets similarity reorder close lexical scores', () => {
    const fused = scoreFusion(
      [
        { id: 'a', score: 10 },
        { id: 'b', score: 9.9 },
      ],
      new Map([
        ['a', 0.1],
        ['b', 0.9],
      ]),
      0.1,
    );
    expect(fused.map((h) => h.id)).toEqual(['b', 'a']);
  });

  it('falls back to ranks when no lexical score is positive', () => {
    expect(
      scoreFusion(
        [
          { id: 'a', score: -1 },
          { id: 'b', score: -3 },
        ],
        new Map(),
        0.1,
      ).map((h) => h.id),
    ).toEqual(['a', 'b']);
  });
});
