import { describe, expect, it } from 'vitest';
import { planVoteChanges, type VoteChange } from './votes.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 9, minute));
const change = (userId: string, wanted: boolean, minute = 0): VoteChange => ({ userId, wanted, at: at(minute) });
const row = (userId: string, minute = 0, counted = 1) => ({
  user_id: userId,
  created_at: at(minute).toISOString(),
  counted,
});

describe('planVoteChanges, what a batch of vote changes on one paper does to its rows', () => {
  it('adds and removes votes, and answers a change to the state a vote is already in as unchanged', () => {
    const plan = planVoteChanges(
      [row('ann'), row('bob')],
      [change('ann', false), change('bob', true), change('cy', true, 5), change('dee', false)],
    );
    expect(plan.changed).toEqual([true, false, true, false]);
    expect(plan.removed).toEqual([row('ann')]);
    expect(plan.added).toEqual([row('cy', 5)]);
  });

  it('applies one member’s changes in the order they came, writing only the net effect', () => {
    const toggled = planVoteChanges([], [change('ann', true, 1), change('ann', false, 2), change('ann', false, 3)]);
    expect(toggled).toEqual({ removed: [], added: [], changed: [true, true, false] });
    const revoted = planVoteChanges([row('bob', 0, 0)], [change('bob', false, 1), change('bob', true, 2)]);
    // The vote of the later time replaces the old row (which did not count: its member was banned).
    expect(revoted).toEqual({ removed: [row('bob', 0, 0)], added: [row('bob', 2)], changed: [true, true] });
  });

  it('changes nothing for an empty batch', () => {
    expect(planVoteChanges([row('ann')], [])).toEqual({ removed: [], added: [], changed: [] });
  });
});
