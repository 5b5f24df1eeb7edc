import type { SearchFilters } from './types.js';

/**
 * What a reader types into the search box, read into parts every database can search safely:
 * words, "quoted phrases", prefixes (`graph*`), title-only parts (`ti:` / `title:`), and the
 * filters arXiv's own search syntax names (`au:` / `author:`, `cat:` / `category:`).
 * Every part keeps only letters and digits, so nothing a reader types can act as FTS5 or
 * tsquery syntax (operators, column filters, quotes); anything unrecognised is plain text.
 */

/** Words, phrases and prefixes; a single word is a one-word phrase. */
export interface QueryClause {
  words: string[];
  /** The last word matches as a prefix (`transform*` finds "transformer"). */
  prefix: boolean;
  /** Matches in the title only (`ti:diffusion`). */
  titleOnly: boolean;
  /**
   * The reader asked for this exactly (a quoted phrase, a prefix, a title part): it must match.
   * Plain words are optional: papers with all of them come first, then papers with some.
   */
  required: boolean;
}

export interface ParsedQuery {
  clauses: QueryClause[];
  /** From `au:name` / `author:"first last"`. */
  author: string | null;
  /** From `cat:cs.CL` / `category:cs.CL`. */
  categories: string[];
  /** Common words left out of the search ("the", "of"); shown to the reader when nothing else remains. */
  droppedStopWords: string[];
  /** Words and phrases a paper must not have (`-word`, `-"a phrase"`), each as its words. */
  excluded: string[][];
}

/** Most a query is read for: the search box's own cap is far below, so this only bounds hostile input. */
const MAX_CLAUSES = 32;
const MAX_WORD_LENGTH = 64;
const MAX_PHRASE_WORDS = 12;
/** A shorter prefix (`a*`) would expand to a large part of the vocabulary. */
const MIN_PREFIX_LENGTH = 3;

/**
 * English function words and the boilerplate of paper titles that nearly every paper has: they
 * cost the most to look up and say least about relevance (their BM25 weight is close to zero).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does for from had has have how i if in into is it its ' +
    'may more most no nor not of on onto or our over should so such than that the their them then there these they ' +
    'this those through to toward towards under upon us via was we were what when where which while who whom why ' +
    'will with within without would you your'
  ).split(' '),
);

/** An arXiv category as typed: `cs.CL`, `math.AG`, `hep-th`. */
export const CATEGORY = /^[a-z][a-z-]{0,15}(\.[A-Za-z][A-Za-z-]{0,15})?$/;

/** arXiv's archives (the part before a category's dot), longest first: a `-` before one starts an exclusion. */
const ARCHIVES = [
  'astro-ph',
  'cond-mat',
  'hep-lat',
  'math-ph',
  'nucl-ex',
  'nucl-th',
  'quant-ph',
  'physics',
  'q-bio',
  'q-fin',
  'gr-qc',
  'hep-ex',
  'hep-ph',
  'hep-th',
  'econ',
  'eess',
  'math',
  'nlin',
  'stat',
  'cs',
];
const EXCLUSION = new RegExp(`-(?=(?:${ARCHIVES.join('|')})(?:[.-]|$))`, 'g');

/** Categories to include (any of them) and to leave out (all of them). */
export interface CategoryFilter {
  include: string[];
  exclude: string[];
}

/**
 * Reads `cs.CL+cs.LG-cs.CY`: categories joined by `+` (a space once URL-decoded) or commas are
 * included, one after a `-` excluded. A `-` is read as "without" at the start of a part or right before
 * an archive's name (`cs`, `hep-th`, `cond-mat`…), so the hyphens inside `hep-th` or `cond-mat.mes-hall`
 * stay part of the name. Distinct and sorted, so equal filters make equal cache keys; invalid names
 * are returned as they are for the caller to refuse.
 */
/** A filter as the `category` parameter writes it back: `cs.CL cs.LG -cs.CY` (a space is a `+` in a URL). */
export function formatCategoryFilter(filter: CategoryFilter): string {
  return [...filter.include, ...filter.exclude.map((c) => `-${c}`)].join(' ');
}

export function parseCategoryFilter(text: string): CategoryFilter {
  const include = new Set<string>();
  const exclude = new Set<string>();
  for (const part of text.split(/[\s+,]+/).filter(Boolean)) {
    const pieces = part.replace(EXCLUSION, '\u0000-').split('\u0000');
    pieces.forEach((piece, i) => {
      if (piece.startsWith('-')) {
        if (piece.length > 1) exclude.add(piece.slice(1));
      } else if (i === 0 && piece) include.add(piece);
    });
  }
  return { include: [...include].sort(), exclude: [...exclude].sort() };
}
const FIELD = /^(au|author|cat|category|ti|title|abs|abstract|all):/i;

/**
 * An author filter needs a word this long, and only a word this long is matched as a prefix: a
 * one-letter prefix matches nearly every paper's authors (`author=a` with 20 categories held a
 * PostgreSQL connection for 18 s).
 */
export const MIN_AUTHOR_WORD = 2;

/** The letters-and-digits words of a piece of text, lower-cased (the search index's own tokens). */
export function wordsOf(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && w.length <= MAX_WORD_LENGTH);
}

/** Splits the text into tokens: `"quoted phrases"` (an unclosed quote runs to the end), `field:value`, bare words. */
function tokens(text: string): Array<{ field: string | null; value: string; quoted: boolean }> {
  const out: Array<{ field: string | null; value: string; quoted: boolean }> = [];
  // Curly quotes come from phones and word processors; they mean the same as straight ones.
  const source = text.replace(/[“”„″]/g, '"');
  const pattern = /(?:([A-Za-z]+):)?(-?)(?:"([^"]*)"?|(\S+))/g;
  for (const match of source.matchAll(pattern)) {
    const field = match[1] && FIELD.test(`${match[1]}:`) ? match[1].toLowerCase() : null;
    // `-"a phrase"` leaves the phrase out, like `-word`.
    if (match[3] !== undefined && match[2]) out.push({ field: null, value: `-${match[3]}`, quoted: false });
    else if (match[3] !== undefined) out.push({ field, value: match[3], quoted: true });
    else {
      // An unknown `name:` stays part of the text ("covid:19" is two words, not a filter).
      const value = field ? `${match[2]}${match[4]!}` : `${match[1] ? `${match[1]}:` : ''}${match[2]}${match[4]}`;
      out.push({ field, value, quoted: false });
    }
    if (out.length >= MAX_CLAUSES * 4) break;
  }
  return out;
}

export function parseQuery(text: string): ParsedQuery {
  const parsed: ParsedQuery = { clauses: [], author: null, categories: [], droppedStopWords: [], excluded: [] };
  const seen = new Set<string>();
  const add = (clause: QueryClause) => {
    const key = `${clause.titleOnly ? 't' : ''}${clause.prefix ? 'p' : ''}:${clause.words.join(' ')}`;
    if (seen.has(key) || parsed.clauses.length >= MAX_CLAUSES) return;
    seen.add(key);
    parsed.clauses.push(clause);
  };

  for (const token of tokens(text)) {
    if (token.field === 'au' || token.field === 'author') {
      const name = wordsOf(token.value).join(' ');
      if (name) parsed.author = parsed.author ? `${parsed.author} ${name}` : name;
      continue;
    }
    if (token.field === 'cat' || token.field === 'category') {
      for (const category of token.value.split(/[\s,+]+/)) {
        if (CATEGORY.test(category) && !parsed.categories.includes(category)) parsed.categories.push(category);
      }
      continue;
    }
    if (token.field === null && token.value.startsWith('-')) {
      const words = wordsOf(token.value.slice(1)).slice(0, MAX_PHRASE_WORDS);
      if (words.length > 0 && parsed.excluded.length < MAX_CLAUSES) parsed.excluded.push(words);
      continue;
    }
    const titleOnly = token.field === 'ti' || token.field === 'title';
    if (token.quoted) {
      const words = wordsOf(token.value).slice(0, MAX_PHRASE_WORDS);
      if (words.length > 0) add({ words, prefix: false, titleOnly, required: true });
      continue;
    }
    // Hyphenated and dotted words are separate words ("task-specific"): as phrases they measured worse.
    for (const piece of token.value.split(/[^\p{L}\p{N}*]+/u)) {
      const prefix = /[\p{L}\p{N}]\*+$/u.test(piece);
      const words = wordsOf(piece).slice(0, MAX_PHRASE_WORDS);
      if (words.length === 0) continue;
      const last = words[words.length - 1]!;
      const isPrefix = prefix && last.length >= MIN_PREFIX_LENGTH;
      if (words.length === 1 && !isPrefix && !titleOnly && STOP_WORDS.has(last)) {
        if (!parsed.droppedStopWords.includes(last)) parsed.droppedStopWords.push(last);
        continue;
      }
      add({ words, prefix: isPrefix, titleOnly, required: isPrefix || titleOnly });
    }
  }
  return parsed;
}

/**
 * The text without its `au:` and `cat:` parts, and what those asked for, so that every search mode
 * (not only the lexical one, which reads them itself) applies them as filters.
 */
/** `filters` with the `au:` and `cat:` typed in `text` added (a given author wins), and the text without them. */
export function withTypedFilters(text: string, filters: SearchFilters = {}): { text: string; filters: SearchFilters } {
  const typed = separateFilters(text);
  const merged: SearchFilters = { ...filters };
  const categories = [...new Set([...(filters.categories ?? []), ...typed.categories])];
  if (categories.length > 0) merged.categories = categories;
  if (filters.excludedCategories?.length) merged.excludedCategories = filters.excludedCategories;
  const author = filters.author?.trim() || typed.author;
  if (author) merged.author = author;
  if (typed.excludedWords.length > 0) merged.excludedWords = typed.excludedWords;
  return { text: typed.text, filters: merged };
}

export function separateFilters(text: string): {
  text: string;
  author: string | null;
  categories: string[];
  excludedWords: string[];
} {
  const { author, categories, excluded } = parseQuery(text);
  const rest = text
    .replace(/[“”„″]/g, '"')
    .replace(/(^|\s)(?:(?:au|author|cat|category):|-)(?:"[^"]*"?|\S*)/gi, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return { text: rest, author, categories, excludedWords: excluded.map((words) => words.join(' ')) };
}
