import { describe, expect, it } from 'vitest';
import { parseImportLine } from '../../src/ingest/jsonl.js';
import { isArxivId } from '../../src/ingest/normalize.js';
import type { CorpusLine } from './corpus.js';
import { COPY_SHIFT_DAYS, scaledCorpus, shiftDay, syntheticId, varyRecord } from './synthesise.js';

const record = (n: number): CorpusLine => ({
  id: `2501.${String(n).padStart(5, '0')}`,
  title: `Sparse Attention Transformers for Graph Number ${n} Reasoning`,
  abstract: `We study graphs number ${n}. Attention is sparse here. Results improve by ${n} points! Code is public.`,
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
  categories: ['cs.LG', 'cs.CL'],
  published: '2026-01-15',
});
const records = Array.from({ length: 50 }, (_, n) => record(n));

describe('syntheticId', () => {
  it('issues arXiv-shaped ids from months before new-style ids existed, so none is a real paper', () => {
    expect(syntheticId(0)).toBe('0001.00001');
    expect(syntheticId(99_998)).toBe('0001.99999');
    expect(syntheticId(99_999)).toBe('0002.00001');
    expect(syntheticId(12 * 99_999)).toBe('0101.00001');
    for (const serial of [0, 5_000_000, 7 * 12 * 99_999 - 1]) {
      const id = syntheticId(serial);
      expect(isArxivId(id)).toBe(true);
      expect(id < '0704').toBe(true);
    }
  });

  it('refuses serials outside the reserved space', () => {
    for (const serial of [-1, 1.5, 7 * 12 * 99_999, Number.NaN]) expect(() => syntheticId(serial)).toThrow(RangeError);
  });

  it('never repeats an id', () => {
    const ids = new Set(Array.from({ length: 300_000 }, (_, i) => syntheticId(i)));
    expect(ids.size).toBe(300_000);
  });
});

describe('shiftDay', () => {
  it('moves a day across months, years and leap days', () => {
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDay('2024-03-01', -1)).toBe('2024-02-29');
    expect(shiftDay('2026-01-15', -COPY_SHIFT_DAYS)).toBe('2024-08-13');
    expect(shiftDay('2025-12-31', 1)).toBe('2026-01-01');
  });
});

describe('varyRecord', () => {
  const copy = varyRecord(records[3]!, records[17]!, 2, 1234);

  it('makes a valid import line with a new id, the same words in another order, and an earlier date', () => {
    const parsed = parseImportLine(JSON.stringify(copy));
    expect(parsed.ok).toBe(true);
    expect(copy.id).toBe(syntheticId(1234));
    expect(copy.published).toBe(shiftDay('2026-01-15', -2 * COPY_SHIFT_DAYS));
    expect(copy.categories).toEqual(records[3]!.categories);
    expect([...copy.authors!].sort()).toEqual([...records[3]!.authors!].sort());
    const sentences = (text: string) => text.split(/(?<=[.!?])\s+/).sort();
    expect(sentences(copy.abstract)).toEqual(sentences(records[3]!.abstract));
  });

  it('varies the title lightly: most words kept, one borrowed from the donor', () => {
    const original = records[3]!.title.split(' ');
    const varied = copy.title.split(' ');
    expect(varied).toHaveLength(original.length);
    expect(varied.filter((w) => original.includes(w)).length).toBeGreaterThanOrEqual(original.length - 1);
    expect(copy.title).not.toBe(records[3]!.title);
  });

  it('is deterministic, and differs between copies of one record', () => {
    expect(varyRecord(records[3]!, records[17]!, 2, 1234)).toEqual(copy);
    const other = varyRecord(records[3]!, records[17]!, 3, 1234 + 50);
    expect(`${other.title}|${other.abstract}`).not.toBe(`${copy.title}|${copy.abstract}`);
  });

  it('copes with records that have no authors, categories, date or sentence breaks', () => {
    const bare = { id: '2501.00001', title: 'X', abstract: '' };
    const varied = varyRecord(bare, { id: '2501.00002', title: '∑ 1', abstract: '' }, 1, 0);
    expect(varied).toEqual({ id: '0001.00001', title: 'X', abstract: '' });
  });

  it('refuses copy 0, which is the record itself', () => {
    expect(() => varyRecord(records[0]!, records[1]!, 0, 0)).toThrow(RangeError);
  });
});

describe('scaledCorpus', () => {
  it('yields the originals first, then copies with unique ids, exactly as many as asked', () => {
    const corpus = [...scaledCorpus(records, 175)];
    expect(corpus).toHaveLength(175);
    expect(corpus.slice(0, 50)).toEqual(records);
    expect(new Set(corpus.map((r) => r.id)).size).toBe(175);
    expect(corpus[50]!.published).toBe(shiftDay('2026-01-15', -COPY_SHIFT_DAYS));
    expect(corpus[174]!.published).toBe(shiftDay('2026-01-15', -3 * COPY_SHIFT_DAYS));
  });
});
