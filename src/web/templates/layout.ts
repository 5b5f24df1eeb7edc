import type { Viewer } from '../../http/auth.js';
import { html, type HtmlValue, type SafeHtml } from '../../markup/html.js';

export interface AlternateFeed {
  title: string;
  /** Path with query, e.g. `/feed.xml?category=cs.CL`. */
  href: string;
  type: 'application/rss+xml' | 'application/atom+xml';
}

export interface LayoutOptions {
  title: string;
  body: HtmlValue;
  description?: string;
  viewer?: Viewer | null;
  /** Token for state-changing forms, present when a session exists. */
  csrfToken?: string | null;
  alternateFeeds?: AlternateFeed[];
  /** Extra tags for <head> (e.g. the KaTeX stylesheet on pages with math). */
  head?: HtmlValue;
  /** Search box text to keep after a search. */
  query?: string;
  /** OpenGraph and Twitter card of the page, for link previews: absolute URLs. */
  preview?: PagePreview;
}

export interface PagePreview {
  url: string;
  image: string;
  type: 'website' | 'article';
}

/** The link-preview tags (OpenGraph, read by most sites, and Twitter's large-image card). */
function previewMeta(options: LayoutOptions): SafeHtml | '' {
  const preview = options.preview;
  if (!preview) return '';
  return html`<meta property="og:site_name" content="${siteName}">
<meta property="og:type" content="${preview.type}">
<meta property="og:title" content="${options.title}">
${options.description ? html`<meta property="og:description" content="${options.description}">` : ''}
<meta property="og:url" content="${preview.url}">
<meta property="og:image" content="${preview.image}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="${options.title}">
${options.description ? html`<meta name="twitter:description" content="${options.description}">` : ''}
<meta name="twitter:image" content="${preview.image}">`;
}

const siteName = 'dailypapers';

/**
 * The header: the brand and search box always, the links beside them on wide screens and behind a
 * Menu button on narrow ones. The button is a checkbox's label, so the menu opens without JavaScript.
 */
function navigation(options: LayoutOptions): SafeHtml {
  const viewer = options.viewer;
  return html`<nav class="site-nav" aria-label="Main">
    <a class="brand" href="/"><img src="/static/favicon.svg" alt="" width="20" height="20"> ${siteName}</a>
    <form class="search-box" action="/search" method="get" role="search">
      <input type="search" name="q" placeholder="Search papers" aria-label="Search papers" value="${options.query ?? ''}">
    </form>
    <input type="checkbox" id="menu-toggle" class="menu-toggle visually-hidden" aria-label="Menu">
    <label for="menu-toggle" class="menu-button button" aria-hidden="true">Menu</label>
    <div class="menu-items">
      <a href="/">Daily</a>
      <a href="/papers/trending">Trending</a>
      ${viewer ? html`<a href="/for-you">For you</a>` : ''}
      <a href="/submit">Submit</a>
      <span class="spacer"></span>
      ${
        viewer
          ? html`<a href="/library">Library</a> <a href="/account">${viewer.displayName}</a>
            <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${options.csrfToken ?? ''}"><button class="link">Log out</button></form>`
          : html`<a href="/login">Log in</a> <a href="/signup" class="button">Sign up</a>`
      }
    </div>
  </nav>`;
}

/** The page shell every HTML page shares. */
export function layout(options: LayoutOptions): SafeHtml {
  const feeds = options.alternateFeeds ?? [];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${siteName}</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ''}
${previewMeta(options)}
${feeds.map((f) => html`<link rel="alternate" type="${f.type}" title="${f.title}" href="${f.href}">`)}
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
${options.head}
</head>
<body>
<header>${navigation(options)}</header>
<main>${options.body}</main>
<footer>
  ${feeds.length > 0 ? html`<p class="feeds">Follow this list: ${feeds.map((f) => html`<a href="${f.href}">${f.title}</a> `)}</p>` : ''}
  <p>${siteName} — a community-curated daily paper feed. <a href="/api/openapi.json">API</a> · <a href="/moderation">Moderation log</a></p>
</footer>
</body>
</html>`;
}
