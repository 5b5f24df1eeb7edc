/** Pure helpers that turn loosely formatted paper metadata into the store's canonical shape. */

const NEW_STYLE_ID = /^(\d{4})\.(\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE_ID = /^([a-z][a-z-]*(?:\.[A-Z]{2})?)\/(\d{7})(?:v(\d+))?$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const SOURCE_ID = /^([a-z][a-z0-9-]{1,31}):([^\s\x00-\x1f\x7f]{1,200})$/;
const KNOWN_SOURCES = new Set(['doi', 'openreview', 'scifact', 'pmid', 'biorxiv', 'medrxiv', 'acl', 'dblp']);

export interface ParsedPaperId {
  /** The key papers are stored under: an arXiv id without version, or `source:id`. */
  id: string;
  /** The arXiv version the input named, if any. */
  version: number | null;
}

/**
 * Accepts an arXiv id (new or old style, with or without version, as a bare id, `arXiv:` prefix
 * or abs/pdf URL) or a `source:id` from a known source. Returns null for anything else.
 */
export function parsePaperId(raw: string): ParsedPaperId | null {
  let text = raw.trim();
  if (text.length === 0 || text.length > 256) return null;
  const url = text.match(
    /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i,
  );
  if (url) text = url[1]!;
  text = text.replace(/^arxiv:/i, '');
  const modern = text.match(NEW_STYLE_ID);
  if (modern) {
    const month = Number(modern[1]!.slice(2));
    if (month < 1 || month > 12) return null;
    return { id: `${modern[1]}.${modern[2]}`, version: modern[3] ? Number(modern[3]) : null };
  }
  const legacy = text.match(OLD_STYLE_ID);
  if (legacy) return { id: `${legacy[1]}/${legacy[2]}`, version: legacy[3] ? Number(legacy[3]) : null };
  const sourced = text.match(SOURCE_ID);
  if (sourced && KNOWN_SOURCES.has(sourced[1]!)) return { id: `${sourced[1]}:${sourced[2]}`, version: null };
  return null;
}

export function isArxivId(id: string): boolean {
  return NEW_STYLE_ID.test(id) || OLD_STYLE_ID.test(id);
}

/** The first day of the month a new-style (YYMM.NNNNN) or old-style (archive/YYMMNNN) id was issued. */
export function dateFromArxivId(id: string): string | null {
  const yymm = id.match(NEW_STYLE_ID)?.[1] ?? id.match(OLD_STYLE_ID)?.[2]?.slice(0, 4);
  if (!yymm) return null;
  const yy = Number(yymm.slice(0, 2));
  const mm = yymm.slice(2, 4);
  // Old-style ids run from 1991 to 2007; new-style ids start at 0704 (2007).
  const year = yy >= 91 ? 1900 + yy : 2000 + yy;
  return `${year}-${mm}-01`;
}

/** Collapses runs of whitespace (arXiv wraps titles and abstracts) while keeping LaTeX intact. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Collapsed text, or null when nothing is left (optional metadata such as comments or a journal ref). */
export function optionalText(text: string | null | undefined): string | null {
  const collapsed = collapseWhitespace(text ?? '');
  return collapsed === '' ? null : collapsed;
}

/** "Forenames Keyname Suffix" from arXiv's split name parts; null when no part holds a letter or digit. */
export function joinNameParts(...parts: Array<string | null | undefined>): string | null {
  const name = collapseWhitespace(parts.filter(Boolean).join(' '));
  return /[\p{L}\p{N}]/u.test(name) ? name : null;
}

const ARXIV_CATEGORY = /^[a-z-]+(?:\.[A-Za-z-]+)?$/;

/**
 * arXiv category codes with the primary first and no repeats. Anything that is not a category
 * code (MSC or ACM classes that some sources mix in) is dropped.
 */
export function orderCategories(categories: string[], primary?: string | null): string[] {
  const ordered = primary ? [primary, ...categories] : categories;
  return [...new Set(ordered.map((c) => c.trim()).filter((c) => ARXIV_CATEGORY.test(c)))];
}

/** The first DOI of a field that may list several ("10.1/a, 10.1/b;10.1/c"). */
export function firstDoi(text: string | null | undefined): string | null {
  return text?.match(/10\.\d{4,9}\/\S+?(?=[\s,;]|$)/)?.[0] ?? null;
}

/** The 'YYYY-MM-DD' day of an ISO date or timestamp, or null when it is not a real day. */
export function dayOf(text: string | null | undefined): string | null {
  const day = text?.trim().match(/^(\d{4}-\d{2}-\d{2})(?:$|T)/)?.[1];
  if (!day) return null;
  const time = Date.parse(`${day}T00:00:00Z`);
  // Date.parse rolls 2023-02-30 over to March; a real day survives the round trip.
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(day) ? day : null;
}
