/**
 * "All of arXiv" from the 97k: copy 0 of each record is the record itself; copy k ≥ 1 is a new paper
 * made from it. Ids come from a reserved space no real paper has: new-style arXiv ids of 2000–2006
 * (`0001.00001` …), issued before arXiv's new-style ids began in April 2007, 99,999 a month, 8.4 million
 * in all. Title words are lightly shuffled and one is borrowed from another record's title, abstract
 * sentences are reordered, and the date moves back by `copy` spans of the corpus, so every copy adds
 * papers with the 97k's term statistics and per-day volume, spread over earlier years as arXiv is.
 */
import type { CorpusLine } from './corpus.js';

/** Days one copy shifts back: the 97k covers about 17 months (2025-03 to 2026-07). */
export const COPY_SHIFT_DAYS = 520;

const IDS_PER_MONTH = 99_999;
const RESERVED_MONTHS = 7 * 12;

/** The reserved arXiv-style id of the `serial`-th synthetic paper (0-based). */
export function syntheticId(serial: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial >= IDS_PER_MONTH * RESERVED_MONTHS)
    throw new RangeError(`no reserved id for serial ${serial}`);
  const month = Math.floor(serial / IDS_PER_MONTH);
  const yymm = `${String(Math.floor(month / 12)).padStart(2, '0')}${String((month % 12) + 1).padStart(2, '0')}`;
  return `${yymm}.${String((serial % IDS_PER_MONTH) + 1).padStart(5, '0')}`;
}

/** `day` (YYYY-MM-DD) moved by `days` (negative: earlier). */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A small deterministic generator (mulberry32): the same serial always gives the same paper. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Swaps `swaps` random neighbours: a light shuffle that keeps most phrases readable. */
function swapNeighbours<T>(items: T[], swaps: number, next: () => number): T[] {
  const out = [...items];
  for (let i = 0; i < swaps && out.length > 1; i++) {
    const at = Math.floor(next() * (out.length - 1));
    [out[at], out[at + 1]] = [out[at + 1]!, out[at]!];
  }
  return out;
}

/** Fisher–Yates. */
function shuffle<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z])/;

/**
 * Copy `copy` (≥ 1) of `source`, as the `serial`-th synthetic paper; `donor` (another record) lends
 * one title word, so copies of one record do not all share a title's exact words.
 */
export function varyRecord(source: CorpusLine, donor: CorpusLine, copy: number, serial: number): CorpusLine {
  if (copy < 1) throw new RangeError('copy 0 is the record itself');
  const next = random(serial * 2_654_435_761 + copy);
  const words = swapNeighbours(source.title.split(/\s+/), 2, next);
  const donorWords = donor.title.split(/\s+/).filter((w) => /^[A-Za-z]{4,}$/.test(w));
  if (donorWords.length > 0) {
    const at = Math.floor(next() * words.length);
    words[at] = donorWords[Math.floor(next() * donorWords.length)]!;
  }
  const line: CorpusLine = {
    id: syntheticId(serial),
    title: words.join(' '),
    abstract: shuffle(source.abstract.split(SENTENCE_END), next).join(' '),
  };
  if (source.authors) line.authors = swapNeighbours(source.authors, 1, next);
  if (source.categories) line.categories = source.categories;
  if (source.published) line.published = shiftDay(source.published, -copy * COPY_SHIFT_DAYS);
  return line;
}

/**
 * The first `papers` records of the scaled corpus: the originals, then copy 1 of each, copy 2, …
 * `records` is the 97k in file order, held in memory (≈ 150 MB) so each copy can borrow from it.
 */
export function* scaledCorpus(records: readonly CorpusLine[], papers: number): Generator<CorpusLine> {
  for (let n = 0; n < papers; n++) {
    const copy = Math.floor(n / records.length);
    const index = n % records.length;
    if (copy === 0) yield records[index]!;
    else {
      const serial = n - records.length;
      yield varyRecord(records[index]!, records[(index * 7919 + copy * 104_729) % records.length]!, copy, serial);
    }
  }
}
