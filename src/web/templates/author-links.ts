import { html, type SafeHtml } from '../../markup/html.js';
import { nameKey } from '../../store/paper-text.js';

/**
 * An author's page: `/authors/{slug}`, the slug being the normalised name (store/paper-text.ts
 * nameKey) with spaces as `+`, so one written name has one page ("Gödel, K." → `/authors/godel,+k.`).
 */
export function authorPath(name: string): string {
  return `/authors/${encodeURIComponent(nameKey(name)).replace(/%20/g, '+').replace(/%2C/gi, ',')}`;
}

/** The normalised name an author slug names (the inverse of authorPath, for any slug). */
export function authorKeyOfSlug(slug: string): string {
  return nameKey(slug.replace(/\+/g, ' '));
}

/** A followed author's, or a search's, or a category's page. */
export function followPath(follow: { kind: 'author' | 'category' | 'search'; label: string }): string {
  if (follow.kind === 'author') return authorPath(follow.label);
  if (follow.kind === 'category') return `/search?category=${encodeURIComponent(follow.label)}&sort=date`;
  return `/search?q=${encodeURIComponent(follow.label)}`;
}

/**
 * The first `limit` author names as links to their pages, comma-separated, "et al." for the rest;
 * `shown` renders a name's text (search results mark the matched words in it).
 */
export function authorLinks(
  authors: { name: string }[],
  limit: number,
  shown: (name: string) => SafeHtml | string = (name) => name,
): SafeHtml {
  const links = authors
    .slice(0, limit)
    .map((a, i) => html`${i > 0 ? ', ' : ''}<a href="${authorPath(a.name)}">${shown(a.name)}</a>`);
  return html`${links}${authors.length > limit ? ' et al.' : ''}`;
}
