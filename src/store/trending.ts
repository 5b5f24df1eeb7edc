/**
 * Trending: exponentially time-decayed votes.
 *
 *   weight(now) = Σ_i 2^(−(now − t_i) / H)      over the paper's submission and each upvote at time t_i
 *   score       = log2 Σ_i 2^((t_i − epoch) / H)  = log2 weight(now) + (now − epoch) / H
 *
 * Why this rather than Hacker News gravity, (votes − 1) / (age_hours + 2)^1.8:
 * - Each vote decays from when it was cast, not from when the paper appeared, so a paper that is
 *   drawing votes *now* rises even if it was featured days ago: that is what "trending" means.
 * - log2 weight(now) and score differ by a term that is the same for every paper, so the order by
 *   the stored score is the order by weight at any moment. A stored HN score is stale as soon as
 *   the clock moves; this one only changes when votes change, so recomputing on each vote keeps the
 *   indexed column exact, and the periodic sweep only has to cover papers that arrived without a vote
 *   (ingest, import). Working in log space keeps the numbers small (≈ 20,000 half-lives since 1970).
 * - H is interpretable: a vote counts half as much after one half-life. H = 24 h fits a daily feed:
 *   yesterday's vote is worth half of today's, last week's under 1%.
 * The submission counts as one event so that a fresh paper with no votes yet ranks by recency.
 *
 * Because the score is a log-sum, a vote changes it in O(1): adding the event at t is
 * log2(2^score + 2^(t/H)) and removing it log2(2^score − 2^(t/H)), so a vote never rescans the
 * paper's other votes (scoreAfterVotes; store/votes.ts applies it to the score it read under the
 * paper's lock, once per batch of votes).
 */
export const HALF_LIFE_MS = 24 * 3600_000;

/** The trending score of a paper from its submission time and vote times (ms since the epoch). */
export function trendingScore(
  submittedAtMs: number,
  voteTimesMs: readonly number[],
  halfLifeMs = HALF_LIFE_MS,
): number {
  const exponents = [submittedAtMs, ...voteTimesMs].map((t) => t / halfLifeMs);
  const top = Math.max(...exponents);
  // log-sum-exp in base 2, shifted by the largest term so 2^x never overflows.
  return top + Math.log2(exponents.reduce((sum, x) => sum + 2 ** (x - top), 0));
}

/**
 * A removed vote must leave at least this share of the weight to be subtracted from the stored
 * score; otherwise the paper is rescanned. A score carries ~12 exact decimals, and
 * 1 − 2^(t/H − score) loses as many digits as the removed vote outweighs the rest: this bound keeps
 * each subtraction's error under 1e-10.
 */
export const MIN_REMAINING_SHARE = 1 / 16;

/**
 * Of two terms this many half-lives apart, the smaller adds 2^-60 to the larger, below a score's
 * precision (~1e-12): the update keeps the larger alone, which also keeps PostgreSQL's POWER from underflowing.
 */
export const NEGLIGIBLE_EXPONENT = 60;

/** How many fresh votes a score is worth at `nowMs`: the decayed weight Σ 2^(−age/H). */
export function weightAt(score: number, nowMs: number): number {
  return 2 ** (score - nowMs / HALF_LIFE_MS);
}

/** When a paper entered the feed: its submission, else the start of its featured or published day, else its creation. */
export function enteredFeedAtMs(paper: {
  submittedAt: string | null;
  featuredOn: string | null;
  publishedOn: string | null;
  createdAt: string;
}): number {
  if (paper.submittedAt) return Date.parse(paper.submittedAt);
  const day = paper.featuredOn ?? paper.publishedOn;
  return Date.parse(day ? `${day}T00:00:00Z` : paper.createdAt);
}

/**
 * The stored trending score with these votes (ms since the epoch) added and removed, O(1) per vote
 * (see above), or null where no exact update exists (the paper has no score yet, or a removed vote
 * carried nearly all of it): then rescan.
 */
export function scoreAfterVotes(
  score: number,
  added: readonly number[],
  removed: readonly number[],
  halfLifeMs: number,
): number | null {
  if (score <= 0) return null;
  const removalFloor = Math.log2(1 - MIN_REMAINING_SHARE);
  let updated = score;
  for (const ms of added) {
    const x = ms / halfLifeMs;
    const [high, low] = x > updated ? [x, updated] : [updated, x];
    updated = high - low > NEGLIGIBLE_EXPONENT ? high : high + Math.log2(1 + 2 ** (low - high));
  }
  for (const ms of removed) {
    const x = ms / halfLifeMs;
    if (x - updated > removalFloor) return null;
    if (updated - x <= NEGLIGIBLE_EXPONENT) updated += Math.log2(1 - 2 ** (x - updated));
  }
  return updated;
}
