import type { SeededRandom } from '../helpers/random.js';

/**
 * Values an attacker or a broken client sends: control characters, bad encodings, injection
 * syntax for SQL, HTML, FTS5 and tsquery, the site's own search syntax, hostile LaTeX, numbers
 * and dates at and past their edges, ids of every shape, and very large text.
 */
export const HOSTILE_TEXT: Record<string, readonly string[]> = {
  nul: ['\u0000', 'a\u0000b'],
  control: ['\u0001\u0007\u001b[31m', '\u007f\u0085', 'tab\there', 'line\r\nbreak', '\u000b\u000c'],
  surrogates: ['\ud800', '\udfff x', 'a\udbff'],
  encoding: ['\ufffd', '\uffff\ufffe', '😀'.repeat(50), 'ü 日本語 עברית', '\u202egnp.exe', '\u200b', '%00', '%zz', '%'],
  sql: ["' OR '1'='1", '1; DROP TABLE papers; --', "%' --", '\\', '_', "''", '$1', '?'],
  html: ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '&amp;&lt;', ']]>', '<!--', '{{7*7}}'],
  search: [
    '"',
    'NEAR(a b, 2)',
    'a AND',
    'OR',
    '*',
    '^a',
    'title:x',
    '(((',
    'a NOT',
    '- -',
    'col:"x" *',
    'a & | b',
    '!(',
    'a:*',
    '<->',
    'au:',
    'cat:',
    'au:"',
    'cat:cs.',
    'au:"a" cat:cs.CL transformer',
    'a '.repeat(300),
  ],
  latex: [
    `$${'\\frac{'.repeat(700)}${'}'.repeat(700)}$`,
    `$$${'{'.repeat(5000)}$$`,
    `$${'{'.repeat(2400)}x${'}'.repeat(2400)}$`,
    '$\\def\\a{\\a\\a}\\a$',
    '$\\rule{9999em}{9999em}$',
    `$\\begin{matrix}${'a&'.repeat(2000)}\\end{matrix}$`,
    `$${'x^{'.repeat(800)}${'}'.repeat(800)}$`,
    '$\\href{javascript:alert(1)}{x}$',
  ],
  numbers: [
    '',
    ' ',
    '-1',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '99999999999999999999',
    '1.5',
    '0x10',
    '2147483648',
    '-9223372036854775809',
  ],
  dates: [
    '1000-W01',
    '9999-W52',
    '2026-W00',
    '2026-W54',
    '0000-01-01',
    '2026-02-30',
    '2026-13',
    '99999-01-01',
    '2026-1-1',
    '1000-01',
  ],
  ids: [
    '2501.00001v999',
    'hep-th/9901001',
    'doi:',
    'doi:10.1101/ü',
    'x:'.repeat(100),
    '../../etc/passwd',
    'arXiv:',
    '2501.',
  ],
  addresses: [
    'a@b',
    'a\u0000b@example.org',
    'ab@example.org\r\nBcc: x@example.org',
    `${'a'.repeat(300)}@example.org`,
    'javascript:alert(1)',
    '//evil.example',
    '/\t/evil.example/',
    'https://evil.example',
  ],
  long: ['x'.repeat(20_000), 'ab '.repeat(5_000)],
  huge: ['x'.repeat(1_000_000)],
};
export type HostileCategory = keyof typeof HOSTILE_TEXT;
export const HOSTILE_CATEGORIES = Object.keys(HOSTILE_TEXT) as HostileCategory[];

/** Text just under the 1 MB body limit, so it reaches the handler rather than the limit. */
export const HUGE_TEXT = HOSTILE_TEXT.huge![0]!;

/** Hostile text of the given category, or of any. */
export function hostileText(random: SeededRandom, category?: HostileCategory): string {
  if (category) return random.pick(HOSTILE_TEXT[category]!);
  return random.pick(HOSTILE_TEXT[random.pick(HOSTILE_CATEGORIES)]!);
}

/** JSON nested `depth` levels deep. */
export function deepJson(depth: number): string {
  return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

/** A value of any JSON type, mostly hostile text. */
export function hostileValue(random: SeededRandom, category?: HostileCategory): unknown {
  const roll = random.next();
  if (category || roll < 0.7) return hostileText(random, category);
  const wrongTypes: unknown[] = [-1, 0, 1.5, 1e308, 2 ** 53 + 1, true, false, null, [], {}, ['a'], { a: { b: [1] } }];
  return random.pick([...wrongTypes, [hostileText(random)]]);
}

/**
 * Percent-encodes text for a URL. Lone surrogates, which encodeURIComponent refuses, go out as the
 * bytes a broken client would send (an encoded surrogate, invalid UTF-8).
 */
export function percentEncode(text: string): string {
  return text
    .split(/([\ud800-\udfff])/)
    .map((part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

/** Raw fragments that are not valid percent-encoding or UTF-8 at all, for paths, queries and forms. */
export const BROKEN_ENCODINGS: readonly string[] = [
  '%',
  '%zz',
  '%E2%82',
  '%ED%A0%80',
  '%FF%FE',
  '%C0%AF',
  '%00',
  '%2e%2e%2f',
  '%252f',
];
