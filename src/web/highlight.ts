import { escapeHtml, trusted, type SafeHtml } from '../markup/html.js';

/**
 * Marks the words of a text that a search matched, as safe HTML: the text is escaped piece by
 * piece and only our own `<mark>` tags are added, so nothing from the text can become markup.
 * A word matches a search term when they share a long enough beginning, which covers the
 * stemming the index does ("learning" marks "learned", "attention" marks "attentional").
 */
export function highlight(text: string, terms: readonly string[]): SafeHtml {
  if (terms.length === 0) return trusted(escapeHtml(text));
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (!terms.some((term) => matchesTerm(match[0].normalize('NFKC').toLowerCase(), term))) continue;
    out += `${escapeHtml(text.slice(last, match.index))}<mark>${escapeHtml(match[0])}</mark>`;
    last = match.index + match[0].length;
  }
  return trusted(out + escapeHtml(text.slice(last)));
}

function matchesTerm(word: string, term: string): boolean {
  const needed = Math.min(term.length, Math.max(4, term.length - 3));
  let shared = 0;
  while (shared < word.length && shared < term.length && word[shared] === term[shared]) shared++;
  return shared >= needed;
}

/** Up to `length` characters of the text around its first matched word, cut at word boundaries, with ellipses. */
export function snippet(text: string, terms: readonly string[], length = 280): string {
  if (text.length <= length) return text;
  let first = -1;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (terms.some((term) => matchesTerm(match[0].toLowerCase(), term))) {
      first = match.index;
      break;
    }
  }
  let start = first < length / 3 ? 0 : text.lastIndexOf(' ', first - Math.floor(length / 4)) + 1;
  let end = Math.min(text.length, start + length);
  if (end < text.length) end = Math.max(start + length / 2, text.lastIndexOf(' ', end));
  if (start > 0 && end - start < length && end === text.length)
    start = Math.max(0, text.indexOf(' ', end - length) + 1);
  for (const [open, close] of formulaSpans(text)) {
    if (start > open && start < close) start = open;
    if (end > open && end < close) end = close;
  }
  return `${start > 0 ? '… ' : ''}${text.slice(start, end).trim()}${end < text.length ? ' …' : ''}`;
}

/** Where `$…$` formulas start and end (pairs of unescaped dollars), so a snippet never cuts one in two. */
function formulaSpans(text: string): [number, number][] {
  const dollars = [...text.matchAll(/(?<!\\)\$+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const spans: [number, number][] = [];
  for (let i = 0; i + 1 < dollars.length; i += 2) spans.push([dollars[i]![0], dollars[i + 1]![1]]);
  return spans;
}
