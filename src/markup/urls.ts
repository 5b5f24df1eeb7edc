import type { PeriodKind } from '../rank/periods.js';
import type { Paper } from '../store/papers.js';

/**
 * Paths of the HTML pages, built in one place. A paper id keeps its `/` (old-style arXiv ids)
 * and `:` (source ids) readable; anything else unusual in it is percent-encoded.
 */
export function paperPath(id: string): string {
  return `/papers/${readableId(id)}`;
}

function readableId(id: string): string {
  return encodeURIComponent(id).replace(/%2F/gi, '/').replace(/%3A/gi, ':');
}

/** `/thumbnails/{id}.webp`: the image of a paper's first page (a title card until it is rendered). */
export function thumbnailPath(id: string): string {
  return `/thumbnails/${readableId(id)}.webp`;
}

const PERIOD_SEGMENT: Record<PeriodKind, string> = { day: 'date', week: 'week', month: 'month' };

/** `/papers/date/2026-11-27`, `/papers/week/2026-W48`, `/papers/month/2026-11`. */
export function periodPath(kind: PeriodKind, key: string): string {
  return `/papers/${PERIOD_SEGMENT[kind]}/${key}`;
}

/** A collection's page; its feeds are `…/feed.xml` and `…/atom.xml`. */
export function collectionPath(id: string): string {
  return `/collections/${encodeURIComponent(id)}`;
}

/** A member's public profile. */
export function userPath(username: string): string {
  return `/users/${encodeURIComponent(username)}`;
}

export function arxivAbsUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function arxivPdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}

/** The paper's DOI: its own, or the id of a `doi:` paper. */
export function doiOf(paper: Paper): string | null {
  return paper.doi ?? (paper.id.startsWith('doi:') ? paper.id.slice(4) : null);
}

/** Stored links come from ingestion; only http(s) ones are ever put in an href. */
export function isHttpUrl(url: string | null): url is string {
  return url !== null && /^https?:\/\//i.test(url);
}
