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

/** Author names as links to their pages. */
export function authorLinks(names: string[]): SafeHtml[] {
  return names.map((name) => html`<a class="author" href="${authorPath(name)}">${name}</a>`);
}
