import { describe, expect, it } from 'vitest';
import { LSA_REFIT_UP_TO, lsaNeedsRefit } from './embedder.js';

describe('lsaNeedsRefit', () => {
  it('refits when the corpus has doubled since the fit', () => {
    expect(lsaNeedsRefit(1000, 1999)).toBe(false);
    expect(lsaNeedsRefit(1000, 2000)).toBe(true);
    expect(lsaNeedsRefit(0, 1)).toBe(false);
    expect(lsaNeedsRefit(0, 2)).toBe(true);
  });

  it('stops refitting by itself once a model was fitted on LSA_REFIT_UP_TO papers or more', () => {
    expect(lsaNeedsRefit(LSA_REFIT_UP_TO - 1, 2 * LSA_REFIT_UP_TO)).toBe(true);
    expect(lsaNeedsRefit(LSA_REFIT_UP_TO, 2 * LSA_REFIT_UP_TO)).toBe(false);
    expect(lsaNeedsRefit(LSA_REFIT_UP_TO, 2_500_000)).toBe(false);
  });
});
