import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TurnTaker } from './read-gate.js';

describe('TurnTaker', () => {
  it('admits as many as its concurrency, the rest in the order they came, one per release', async () => {
    const turns = new TurnTaker(2, 10);
    const started: string[] = [];
    const releases = new Map<string, () => void>();
    const take = (name: string) =>
      turns.enter()!.then((release) => {
        started.push(name);
        releases.set(name, release);
      });
    const all = ['a', 'b', 'c', 'd', 'e'].map(take);
    await turn();
    expect(started).toEqual(['a', 'b']);
    releases.get('b')!();
    releases.get('b')!(); // a second release of the same turn frees nothing more
    await turn();
    await turn();
    expect(started).toEqual(['a', 'b', 'c']);
    releases.get('a')!();
    releases.get('c')!();
    await turn();
    await turn();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    await Promise.all(all);
  });

  it('turns away whoever comes when the line is full, and takes them again once it moves', async () => {
    const turns = new TurnTaker(1, 2);
    const first = await turns.enter()!;
    const waiting = [turns.enter(), turns.enter()];
    expect(waiting.every((entry) => entry !== null)).toBe(true);
    expect(turns.enter()).toBeNull();
    first();
    const second = await waiting[0]!;
    expect(turns.enter()).not.toBeNull();
    second();
  });
});
