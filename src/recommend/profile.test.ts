import { describe, expect, it } from 'vitest';
import { normalize } from '../search/lsa.js';
import { rankCandidates, type CandidatePaper, type LikedPaper } from './profile.js';

const unit = (...xs: number[]) => normalize(Float32Array.from(xs));

const liked: LikedPaper[] = [
  {
    id: 'l1',
    title: 'Sparse attention for long documents',
    abstract: 'Transformers with sparse attention read long documents.',
    signal: 'saved',
    vector: unit(1, 0, 0),
  },
  {
    id: 'l2',
    title: 'Protein folding with diffusion',
    abstract: 'A diffusion model predicts protein structure.',
    signal: 'upvoted',
    vector: unit(0, 1, 0),
  },
];

const candidate = (id: string, title: string, abstract: string, vector: Float32Array | null): CandidatePaper => ({
  id,
  title,
  abstract,
  vector,
  follows: [],
});

describe('rankCandidates', () => {
  const attention = candidate(
    'c1',
    'Efficient sparse attention',
    'Sparse attention for long documents, faster.',
    unit(0.9, 0.1, 0),
  );
  const protein = candidate(
    'c2',
    'Protein diffusion models',
    'Diffusion for protein structure design.',
    unit(0.1, 0.9, 0),
  );
  const unrelated = candidate('c3', 'Medieval tax records', 'Tax rolls of English villages.', unit(0, 0, 1));

  it('ranks papers like the liked ones first, each with the liked paper it resembles as its reason', async () => {
    const ranked = await rankCandidates({ liked, dismissed: [] }, [unrelated, protein, attention]);
    expect(ranked.map((r) => r.id).at(-1)).toBe('c3');
    const reasons = Object.fromEntries(ranked.map((r) => [r.id, r.reason]));
    expect(reasons.c1).toEqual({ kind: 'like', paperId: 'l1', title: liked[0]!.title, signal: 'saved' });
    expect(reasons.c2).toEqual({ kind: 'like', paperId: 'l2', title: liked[1]!.title, signal: 'upvoted' });
  });

  it('ranks lookalikes of a "not interested" paper lower', async () => {
    // c1 and c2 each resemble one liked paper; marking a protein paper "not interested" drops c2 below c1.
    const dismissed = [{ title: 'Protein structure', abstract: 'Protein diffusion structure.', vector: unit(0, 1, 0) }];
    const before = await rankCandidates({ liked, dismissed: [] }, [protein, attention, unrelated]);
    const after = await rankCandidates({ liked, dismissed }, [protein, attention, unrelated]);
    const score = (list: typeof before, id: string) => list.find((r) => r.id === id)!.score;
    expect(score(after, 'c2')).toBeLessThan(score(before, 'c2'));
    expect(after.map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
  });

  it("lifts a followed author's paper of average resemblance into the top few, with the follow as its reason", async () => {
    // Twenty candidates spread between the two liked topics and away from both; the followed one in the middle.
    const spread = Array.from({ length: 20 }, (_, k) =>
      candidate(
        `s${k}`,
        `Paper ${k}`,
        'Text.',
        unit(Math.cos((k * Math.PI) / 40), Math.sin((k * Math.PI) / 40), k / 10),
      ),
    );
    const followed = { ...spread[10]!, follows: [{ kind: 'author' as const, label: 'Ada Lovelace' }] };
    const without = (await rankCandidates({ liked, dismissed: [] }, spread)).findIndex((r) => r.id === 's10');
    const ranked = await rankCandidates({ liked, dismissed: [] }, [
      ...spread.slice(0, 10),
      followed,
      ...spread.slice(11),
    ]);
    expect(without).toBeGreaterThan(5);
    expect(ranked.findIndex((r) => r.id === 's10')).toBeLessThan(3);
    expect(ranked.find((r) => r.id === 's10')!.reason).toEqual({
      kind: 'follow',
      follow: { kind: 'author', label: 'Ada Lovelace' },
    });
  });

  it('prefers a resembled liked paper over a followed category as the reason, and works without vectors', async () => {
    const inCategory = { ...attention, vector: null, follows: [{ kind: 'category' as const, label: 'cs.CL' }] };
    const [only] = await rankCandidates({ liked, dismissed: [] }, [inCategory]);
    expect(only!.reason).toMatchObject({ kind: 'like', paperId: 'l1' });
  });

  it('compares by words a candidate whose vector is of another model (read across a model switch)', async () => {
    // By its 4-wide vector it would point at l2; its words say l1.
    const otherModel = { ...attention, vector: unit(0, 1, 0, 0) };
    const ranked = await rankCandidates({ liked, dismissed: [] }, [otherModel, protein]);
    const reasons = Object.fromEntries(ranked.map((r) => [r.id, r.reason]));
    expect(reasons.c1).toMatchObject({ kind: 'like', paperId: 'l1' });
    expect(reasons.c2).toMatchObject({ kind: 'like', paperId: 'l2' });
  });

  it('recommends nothing that neither a like nor a follow leads to', async () => {
    expect(await rankCandidates({ liked: [], dismissed: [] }, [attention, unrelated])).toEqual([]);
    const followed = { ...unrelated, follows: [{ kind: 'search' as const, label: 'tax' }] };
    expect((await rankCandidates({ liked: [], dismissed: [] }, [attention, followed])).map((r) => r.id)).toEqual([
      'c3',
    ]);
  });
});

describe('rankCandidates on a heavy request', () => {
  it('leaves the event loop ticking while thousands of long abstracts are read', async () => {
    // Distinct words per paper, so nothing read before helps: every abstract is analysed afresh.
    const words = (seed: number, n: number) =>
      Array.from({ length: n }, (_, i) => `w${((seed * 7919 + i * 104729) % 50021).toString(36)}ing`).join(' ');
    const likes: LikedPaper[] = Array.from({ length: 200 }, (_, i) => ({
      id: `heavy-l${i}`,
      title: words(i, 12),
      abstract: words(i + 1, 250),
      signal: 'upvoted',
      vector: unit(1, i % 7, 0),
    }));
    const many = Array.from({ length: 3000 }, (_, i) =>
      candidate(`heavy-c${i}`, words(i + 500, 12), words(i + 900, 250), unit(i % 5, 1, 0)),
    );
    let longestGap = 0;
    let ticks = 0;
    let last = performance.now();
    const ticking = setInterval(() => {
      ticks++;
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 1);
    const started = performance.now();
    const ranked = await rankCandidates({ liked: likes, dismissed: [] }, many);
    const took = performance.now() - started;
    clearInterval(ticking);
    longestGap = Math.max(longestGap, performance.now() - last);
    expect(ranked).toHaveLength(3000);
    // The loop ticks all along: no pause comes near the whole ranking's time. Reading words pauses
    // every 20 ms; the tf-idf weights and centroids are one block, about a tenth of the whole (160 ms of
    // 1.5 s on a busy two-core machine), which a burst of load can stretch to several times its share, hence the margin.
    expect(took).toBeGreaterThan(400);
    expect(ticks).toBeGreaterThan(took / 100);
    expect(longestGap).toBeLessThan(took / 3);
  }, 60_000);
});
