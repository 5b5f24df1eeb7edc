import { isArxivId } from '../ingest/normalize.js';
import { nameKey } from '../store/paper-text.js';
import type { Paper } from '../store/papers.js';
import { arxivAbsUrl, doiOf } from '../markup/urls.js';

/**
 * A BibTeX entry for a paper, in the shape arXiv itself offers (`@misc` with eprint fields) for
 * arXiv papers. Titles keep their LaTeX, which BibTeX understands; braces are balanced so that a
 * stray `{` in the data cannot break the entry.
 */
export function bibtex(paper: Paper, options: { key?: string; note?: string } = {}): string {
  const year = paper.publishedOn?.slice(0, 4) ?? null;
  const fields: [string, string | null][] = [
    ['title', paper.title],
    ['author', paper.authors.map((a) => a.name).join(' and ') || null],
    ['year', year],
  ];
  if (isArxivId(paper.id)) {
    fields.push(
      ['eprint', paper.id],
      ['archivePrefix', 'arXiv'],
      ['primaryClass', paper.primaryCategory],
      ['url', arxivAbsUrl(paper.id)],
    );
  }
  fields.push(['doi', doiOf(paper)], ['journal', paper.journalRef], ['annote', options.note ?? null]);
  const body = fields
    .filter((field): field is [string, string] => field[1] !== null && field[1] !== '')
    .map(([name, value]) => `  ${name}={${balanceBraces(value)}},`)
    .join('\n');
  return `@misc{${options.key ?? citationKey(paper)},\n${body}\n}`;
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'the',
  'on',
  'of',
  'for',
  'in',
  'to',
  'and',
  'with',
  'towards',
  'toward',
  'via',
  'is',
  'are',
]);

/** `pang2022masked`: first author's surname, year, first significant title word, in ASCII. */
export function citationKey(paper: Paper): string {
  const ascii = (text: string) => nameKey(text).replace(/[^a-z0-9]/g, '');
  const surname = ascii(paper.authors[0]?.name.trim().split(/\s+/).pop() ?? '');
  const word = paper.title
    .replace(/\$[^$]*\$|\\[a-zA-Z]+/g, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .map(ascii)
    .find((w) => w.length > 0 && !STOP_WORDS.has(w));
  const key = `${surname}${paper.publishedOn?.slice(0, 4) ?? ''}${word ?? ''}`;
  return key || ascii(paper.id) || 'paper';
}

/** Drops `}` that close nothing and `{` that are never closed (escaped `\{`, `\}` are kept). */
function balanceBraces(text: string): string {
  const chars = [...text.replace(/\s+/g, ' ')];
  const open: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '\\') i++;
    else if (chars[i] === '{') open.push(i);
    else if (chars[i] === '}' && open.pop() === undefined) chars[i] = '';
  }
  for (const i of open) chars[i] = '';
  return chars.join('');
}
