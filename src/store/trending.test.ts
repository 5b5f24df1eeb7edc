import { describe, expect, it } from 'vitest';
import { enteredFeedAtMs, HALF_LIFE_MS, scoreAfterVotes, trendingScore, weightAt } from './trending.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const hoursAgo = (h: number) => NOW - h * 3600_000;

describe('trendingScore under a fixed clock', () => {
  it('counts an unvoted paper submitted just now as one fresh vote', () => {
    const score = trendingScore(NOW, []);
    expect(score).toBe(NOW / HALF_LIFE_MS);
    expect(weightAt(score, NOW)).toBe(1);
  });

  it('halves the weight of every event per 24 hours', () => {
    // Scores are ~20,500 half-lives, so a weight carries about 12 exact decimal places.
    expect(weightAt(trendingScore(hoursAgo(24), []), NOW)).toBeCloseTo(0.5, 11);
    expect(weightAt(trendingScore(hoursAgo(48), [hoursAgo(24), NOW]), NOW)).toBeCloseTo(0.25 + 0.5 + 1, 11);
    expect(weightAt(trendingScore(hoursAgo(72), [hoursAgo(72), hoursAgo(72), hoursAgo(72)]), NOW)).toBeCloseTo(0.5, 11);
  });

  it('ranks a paper drawing votes now above an older paper with more, older votes', () => {
    const rising = trendingScore(hoursAgo(60), [hoursAgo(2), hoursAgo(1), NOW]);
    const fading = trendingScore(
      hoursAgo(72),
      Array.from({ length: 10 }, () => hoursAgo(70)),
    );
    expect(weightAt(rising, NOW)).toBeCloseTo(0.25 * 2 ** -0.5 + 2 ** (-2 / 24) + 2 ** (-1 / 24) + 1, 11);
    expect(weightAt(fading, NOW)).toBeCloseTo(0.125 + 10 * 2 ** (-70 / 24), 11);
    expect(rising).toBeGreaterThan(fading);
  });

  it('keeps the order of two papers as the clock moves on (so a stored score never goes stale)', () => {
    const a = trendingScore(hoursAgo(30), [hoursAgo(29), hoursAgo(5)]);
    const b = trendingScore(hoursAgo(10), []);
    for (const later of [0, 24, 240]) {
      const now = NOW + later * 3600_000;
      expect(Math.sign(weightAt(a, now) - weightAt(b, now))).toBe(Math.sign(a - b));
    }
  });

  it('stays finite for thousands of votes at the same instant', () => {
    const score = trendingScore(
      NOW,
      Array.from({ length: 4095 }, () => NOW),
    );
    expect(score).toBe(NOW / HALF_LIFE_MS + 12);
  });
});

describe('enteredFeedAtMs', () => {
  it('prefers the submission time, then the featured day, the published day, the creation time', () => {
    const base = { submittedAt: null, featuredOn: null, publishedOn: null, createdAt: '2026-03-09T08:30:00.000Z' };
    expect(enteredFeedAtMs({ ...base, submittedAt: '2026-03-10T09:00:00.000Z', featuredOn: '2026-03-10' })).toBe(
      Date.parse('2026-03-10T09:00:00Z'),
    );
    expect(enteredFeedAtMs({ ...base, featuredOn: '2026-03-10', publishedOn: '2026-03-01' })).toBe(
      Date.parse('2026-03-10T00:00:00Z'),
    );
    expect(enteredFeedAtMs({ ...base, publishedOn: '2026-03-01' })).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(enteredFeedAtMs(base)).toBe(Date.parse('2026-03-09T08:30:00Z'));
  });
});

describe('scoreAfterVotes, the update of a stored score by a batch of votes', () => {
  const submitted = hoursAgo(48);
  const votes = [hoursAgo(30), hoursAgo(5), hoursAgo(1)];

  it('equals a rescan after adding and removing several votes at once', () => {
    const stored = trendingScore(submitted, votes);
    const updated = scoreAfterVotes(stored, [NOW, hoursAgo(2)], [hoursAgo(5)], HALF_LIFE_MS);
    expect(updated).toBeCloseTo(trendingScore(submitted, [hoursAgo(30), hoursAgo(1), NOW, hoursAgo(2)]), 9);
    expect(scoreAfterVotes(stored, [], [], HALF_LIFE_MS)).toBe(stored);
  });

  it('asks for a rescan where the paper has no score yet, or a removal would leave too little', () => {
    expect(scoreAfterVotes(0, [NOW], [], HALF_LIFE_MS)).toBeNull();
    const fresh = trendingScore(hoursAgo(24 * 90), [NOW]);
    expect(scoreAfterVotes(fresh, [], [NOW], HALF_LIFE_MS)).toBeNull();
  });

  it('keeps the larger term alone when the other is below a score’s precision', () => {
    const old = trendingScore(hoursAgo(24 * 90), []);
    expect(scoreAfterVotes(old, [NOW], [], HALF_LIFE_MS)).toBe(NOW / HALF_LIFE_MS);
    const recent = trendingScore(NOW, []);
    expect(scoreAfterVotes(recent, [hoursAgo(24 * 90)], [], HALF_LIFE_MS)).toBe(recent);
  });
});
