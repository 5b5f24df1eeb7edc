import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, weightedScoreFusion } from './fusion.js';

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
      { hits: [{ id: 'a', score: 1000 }, { id: 'b', score: 500 }], weight: 0.5 },
      { hits: [{ id: 'b', score: 0.9 }, { id: 'a', score: 0.1 }], weight: 1 },
    ]);
    expect(fused.map((h) => h.id)).toEqual(['b', 'a']);
  });

  it('gives nothing for an empty list', () => {
    expect(weightedScoreFusion([{ hits: [], weight: 1 }])).toEqual([]);
  });
});
