import { createHash } from 'node:crypto';
import { escapeHtml } from '../markup/html.js';

/** The card's size: the shape of the image slot on a feed card (16:10). */
export const TITLE_CARD_WIDTH = 640;
export const TITLE_CARD_HEIGHT = 400;

const FONT_SIZE = 36;
const LINE_HEIGHT = 46;
/** About how many characters of the title font fit a line of the card. */
const LINE_CHARACTERS = 28;
const MAX_LINES = 5;

/** Two-colour grounds, picked by the paper's primary category so a field's cards look alike. */
const GROUNDS: [string, string][] = [
  ['#1e3a8a', '#3b82f6'],
  ['#064e3b', '#10b981'],
  ['#7c2d12', '#f97316'],
  ['#581c87', '#a855f7'],
  ['#134e4a', '#14b8a6'],
  ['#831843', '#ec4899'],
  ['#1f2937', '#6b7280'],
  ['#713f12', '#eab308'],
];

/** The title without LaTeX markup: commands keep their names' letters, `$` and braces go. */
export function plainTitle(title: string): string {
  return title
    .replace(/\\([a-zA-Z]+)\s*/g, (_, name: string) => (name.length === 1 ? name : ''))
    .replace(/\\(.)/g, '$1')
    .replace(/[{}$]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits text into at most MAX_LINES lines of about LINE_CHARACTERS, breaking at spaces; an ellipsis ends a cut. */
export function wrapTitle(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const piece = word.length > LINE_CHARACTERS ? `${word.slice(0, LINE_CHARACTERS - 1)}…` : word;
    if (line && line.length + 1 + piece.length > LINE_CHARACTERS) {
      lines.push(line);
      line = piece;
      if (lines.length === MAX_LINES) break;
    } else line = line ? `${line} ${piece}` : piece;
  }
  if (lines.length < MAX_LINES && line) lines.push(line);
  else if (lines.length === MAX_LINES && line !== lines[MAX_LINES - 1])
    lines[MAX_LINES - 1] = `${lines[MAX_LINES - 1]!.replace(/[\s.,;:]*$/, '')}…`;
  return lines;
}

/**
 * The stand-in image of a paper without a rendered first page: its title on a ground in its
 * category's colours, with the category and id. Every text is escaped; the SVG has no script or link.
 */
export function titleCardSvg(paper: { id: string; title: string; primaryCategory: string | null }): string {
  const category = paper.primaryCategory ?? 'paper';
  const [dark, light] = GROUNDS[createHash('sha256').update(category).digest()[0]! % GROUNDS.length]!;
  const lines = wrapTitle(plainTitle(paper.title) || paper.id);
  const top = (TITLE_CARD_HEIGHT - lines.length * LINE_HEIGHT) / 2 + FONT_SIZE * 0.8;
  const text = lines
    .map((line, i) => `<text x="40" y="${Math.round(top + i * LINE_HEIGHT)}">${escapeHtml(line)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${TITLE_CARD_WIDTH} ${TITLE_CARD_HEIGHT}" width="${TITLE_CARD_WIDTH}" height="${TITLE_CARD_HEIGHT}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${dark}"/><stop offset="1" stop-color="${light}"/></linearGradient></defs>
<rect width="${TITLE_CARD_WIDTH}" height="${TITLE_CARD_HEIGHT}" fill="url(#g)"/>
<text x="40" y="52" font-family="system-ui, sans-serif" font-size="22" font-weight="600" fill="#ffffff" fill-opacity="0.85">${escapeHtml(category)}</text>
<g font-family="Georgia, 'Times New Roman', serif" font-size="${FONT_SIZE}" font-weight="700" fill="#ffffff">${text}</g>
<text x="40" y="${TITLE_CARD_HEIGHT - 32}" font-family="ui-monospace, monospace" font-size="20" fill="#ffffff" fill-opacity="0.8">${escapeHtml(paper.id)}</text>
</svg>`;
}
