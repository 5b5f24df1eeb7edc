import { isArxivId } from '../ingest/normalize.js';
import { arxivAbsUrl, doiOf } from '../markup/urls.js';
import type { Paper } from '../store/papers.js';
import { bibtex, citationKey } from './bibtex.js';

export const EXPORT_FORMATS = ['bibtex', 'ris', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One exported paper; the note only when the reader is the member who wrote it. */
export interface ExportEntry {
  paper: Paper;
  note?: string;
  readAt?: string | null;
  savedAt?: string;
}

export interface ExportFile {
  body: string;
  contentType: string;
  extension: string;
}

/** Citation keys as reference managers need them: unique within the file (`pang2022masked`, then …a, …b). */
function uniqueKeys(papers: Paper[]): string[] {
  const seen = new Map<string, number>();
  return papers.map((paper) => {
    const key = citationKey(paper);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n === 0 ? key : `${key}${suffix(n)}`;
  });
}

/** a, b, …, z, aa, ab, … */
function suffix(n: number): string {
  let text = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) text = String.fromCharCode(97 + ((i - 1) % 26)) + text;
  return text;
}

function toBibtex(entries: ExportEntry[]): string {
  const keys = uniqueKeys(entries.map((e) => e.paper));
  return entries.map((e, i) => `${bibtex(e.paper, { key: keys[i], note: e.note || undefined })}\n`).join('\n');
}

/** RIS tags hold one line each: line breaks inside a value would start a new tag. */
const risValue = (text: string) => text.replace(/\s+/g, ' ').trim();

function paperUrl(paper: Paper): string | null {
  return isArxivId(paper.id) ? arxivAbsUrl(paper.id) : null;
}

function risRecord(entry: ExportEntry): string {
  const { paper } = entry;
  const lines: [string, string | null][] = [
    ['TY', paper.journalRef ? 'JOUR' : 'UNPB'],
    ['TI', paper.title],
    ...paper.authors.map((a): [string, string] => ['AU', a.name]),
    ['PY', paper.publishedOn?.slice(0, 4) ?? null],
    ['DA', paper.publishedOn?.replaceAll('-', '/') ?? null],
    ['AB', paper.abstract],
    ['JO', paper.journalRef],
    ['DO', doiOf(paper)],
    ['UR', paperUrl(paper)],
    ['AN', isArxivId(paper.id) ? `arXiv:${paper.id}` : paper.id],
    ...paper.categories.map((c): [string, string] => ['KW', c]),
    ['N1', entry.note || null],
  ];
  const tags = lines
    .filter((line): line is [string, string] => line[1] !== null && risValue(line[1]) !== '')
    .map(([tag, value]) => `${tag}  - ${risValue(value)}`);
  return [...tags, 'ER  - '].join('\r\n');
}

function toRis(entries: ExportEntry[]): string {
  return entries.map((e) => `${risRecord(e)}\r\n\r\n`).join('');
}

/**
 * One CSV field (RFC 4180). A value a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is
 * prefixed with an apostrophe: titles and notes are other people's text.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const CSV_COLUMNS = ['id', 'title', 'authors', 'published', 'categories', 'doi', 'url', 'note', 'read', 'saved'];

function toCsv(entries: ExportEntry[], withPrivateColumns: boolean): string {
  const columns = withPrivateColumns ? CSV_COLUMNS : CSV_COLUMNS.slice(0, 7);
  const rows = entries.map(({ paper, note, readAt, savedAt }) =>
    [
      paper.id,
      paper.title,
      paper.authors.map((a) => a.name).join('; '),
      paper.publishedOn ?? '',
      paper.categories.join(' '),
      doiOf(paper) ?? '',
      paperUrl(paper) ?? '',
      note ?? '',
      readAt ? readAt.slice(0, 10) : '',
      savedAt?.slice(0, 10) ?? '',
    ].slice(0, columns.length),
  );
  return [columns, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/**
 * Papers as a file for reference managers and spreadsheets. `withPrivateColumns` adds the member's own note,
 * read day and saved day; only the member sees them.
 */
export function exportPapers(entries: ExportEntry[], format: ExportFormat, withPrivateColumns = false): ExportFile {
  const own = withPrivateColumns ? entries : entries.map(({ paper }) => ({ paper }));
  switch (format) {
    case 'bibtex':
      return { body: toBibtex(own), contentType: 'application/x-bibtex; charset=utf-8', extension: 'bib' };
    case 'ris':
      return { body: toRis(own), contentType: 'application/x-research-info-systems; charset=utf-8', extension: 'ris' };
    case 'csv':
      return { body: toCsv(own, withPrivateColumns), contentType: 'text/csv; charset=utf-8', extension: 'csv' };
  }
}

/** A file name for a download: the collection's name in plain letters, digits and dashes. */
export function exportFileName(name: string, extension: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[^\w-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'papers'}.${extension}`;
}
