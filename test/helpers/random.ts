/**
 * A seeded pseudo-random generator (mulberry32), so a fuzz or property test draws the same cases
 * on every run and a failure reproduces from its seed.
 */
export class SeededRandom {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
}

/** Pieces hostile redirect targets are made of: slashes, whitespace, encodings, schemes, hosts, unicode. */
const REDIRECT_PIECES = [
  '/',
  '//',
  '\\',
  '/\\',
  '\\\\',
  '\t',
  '\n',
  '\r',
  ' ',
  '\u0000',
  '\u000b',
  '%09',
  '%0a',
  '%0d',
  '%2f',
  '%2F%2F',
  '%5c',
  '%5C',
  '%252f',
  '%00',
  'evil.example',
  'evil.example:443',
  '@evil.example',
  'user:pass@',
  'http:',
  'https:',
  'javascript:',
  'data:text/html,',
  'ftp:',
  ':',
  '.',
  '..',
  '/..',
  '?',
  '#',
  '&',
  '=',
  'papers',
  '2501.00001',
  'ü',
  '日本語',
  '\u2028',
  '\uff0f',
  '\uff3c',
  '\u3002',
  '\u2215',
  '\u200b',
  '\ud800',
  '\ude00',
  '😀',
  '"',
  "'",
  '<',
  '>',
  '`',
  '{',
  '}',
];

/** A redirect target an attacker might craft: a few hostile pieces, usually after a leading slash. */
export function hostileRedirectTarget(random: SeededRandom): string {
  const pieces = Array.from({ length: random.int(1, 8) }, () => random.pick(REDIRECT_PIECES));
  return (random.next() < 0.7 ? '/' : '') + pieces.join('');
}
