// Sentences and plain words of an abstract, for the summary and the keyphrases.

/** Abbreviations that end in a full stop inside a sentence ("e.g. transformers", "Smith et al. show"). */
const ABBREVIATIONS =
  /(?:\b(?:e\.g|i\.e|et al|cf|vs|etc|Fig|Figs|Eq|Eqs|Sec|Ref|resp|approx|No|Dr|Prof|St)\.|\b[A-Z]\.)$/;

/** Most sentences read per abstract: centrality is quadratic in them, and abstracts longer than this are rare. */
export const MAX_SENTENCES = 40;

/**
 * The sentences of a text, in order, whitespace collapsed. A sentence ends at `.`, `!` or `?` followed by
 * a space and a capital letter, digit or opening bracket, never inside `$…$` math or after a common
 * abbreviation or an initial.
 */
export function splitSentences(text: string): string[] {
  const source = text.replace(/\s+/g, ' ').trim();
  const sentences: string[] = [];
  let start = 0;
  let inMath = false;
  for (let i = 0; i < source.length && sentences.length < MAX_SENTENCES; i++) {
    const char = source[i]!;
    if (char === '\\') {
      i++;
      continue;
    }
    if (char === '$') inMath = !inMath;
    if (inMath || (char !== '.' && char !== '!' && char !== '?')) continue;
    if (source[i + 1] !== ' ' || !/[\p{Lu}\p{N}([“"]/u.test(source[i + 2] ?? '')) continue;
    const sentence = source.slice(start, i + 1);
    if (char === '.' && ABBREVIATIONS.test(sentence)) continue;
    sentences.push(sentence.trim());
    start = i + 2;
  }
  const rest = source.slice(start).trim();
  if (rest && sentences.length < MAX_SENTENCES) sentences.push(rest);
  return sentences.filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** The text with `$…$` math, URLs and LaTeX commands taken out, for word statistics. */
export function plainWords(text: string): string {
  return text
    .replace(/\$\$[^$]*\$\$|\$[^$]*\$/g, ' , ')
    .replace(/\b(?:https?:\/\/|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+\/\S*/gi, ' , ')
    .replace(/\\[a-zA-Z]+\*?/g, ' ')
    .replace(/[{}]/g, ' ');
}
