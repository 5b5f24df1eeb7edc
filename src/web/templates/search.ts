import type { Visitor } from '../visitor.js';
import type { SearchSort } from '../../search/types.js';
import { DEFAULT_SEARCH_MODE } from '../../search/search.js';
import { SEARCH_MODES, type SearchMode } from '../../search/types.js';
import type { Paper } from '../../store/papers.js';
import { highlight, snippet } from '../highlight.js';
import { html, type SafeHtml } from '../../markup/html.js';
import { renderTex } from '../latex.js';
import { paperPath } from '../../markup/urls.js';
import { dayTime } from './dates.js';
import { katexHead } from './katex.js';
import { layout, type AlternateFeed } from './layout.js';
import { authorLinks } from './author-links.js';
import { CARD_AUTHORS, categoryTags } from './paper-card.js';

/** What the form shows: the reader's own values, as typed (escaped on output like everything else). */
export interface SearchFormValues {
  q: string;
  mode: string;
  from: string;
  to: string;
  category: string;
  author: string;
  sort: string;
}

export interface SearchPageView {
  form: SearchFormValues;
  /** The words to mark in the results. */
  terms: string[];
  papers: Paper[];
  /** 1-based. */
  page: number;
  /** The URL of the previous and next page, when there is one. */
  previous: string | null;
  next: string | null;
  /** Why there are no results, or what is wrong with the request (shown instead of results). */
  notice: { kind: 'error' | 'info'; message: string } | null;
  /** Shown above the results: how they were ranked when not as asked (by words while meaning is not ready). */
  rankingNote: string | null;
  feeds: AlternateFeed[];
}

const SORT_LABELS: Record<SearchSort, string> = { relevance: 'Best match', date: 'Newest', upvotes: 'Most upvoted' };
const MODE_LABELS: Record<SearchMode, string> = { lexical: 'Words', semantic: 'Meaning', hybrid: 'Words + meaning' };

function options(values: readonly string[], labels: Record<string, string>, selected: string): SafeHtml[] {
  return values.map(
    (value) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${labels[value]}</option>`,
  );
}

function searchForm(form: SearchFormValues): SafeHtml {
  return html`<form class="search-form" action="/search" method="get" role="search" aria-label="Search papers">
  <div class="search-main">
    <input type="search" name="q" value="${form.q}" maxlength="500" placeholder="Words, &quot;a phrase&quot;, prefix*, au:name, cat:cs.CL or an arXiv id" aria-label="Search for" autofocus>
    <button class="primary" type="submit">Search</button>
  </div>
  <div class="search-filters">
    <label>From <input type="date" name="from" value="${form.from}"></label>
    <label>To <input type="date" name="to" value="${form.to}"></label>
    <label>Category <input name="category" value="${form.category}" placeholder="cs.CL cs.AI" size="12" maxlength="200" list="search-categories"></label>
    <label>Author <input name="author" value="${form.author}" placeholder="Hinton" size="14" maxlength="200"></label>
    <label>Sort <select name="sort">${options(['relevance', 'date', 'upvotes'], SORT_LABELS, form.sort || 'relevance')}</select></label>
    <label>Match by <select name="mode">${options(SEARCH_MODES, MODE_LABELS, form.mode || DEFAULT_SEARCH_MODE)}</select></label>
  </div>
  <datalist id="search-categories">${['cs.CL', 'cs.CV', 'cs.LG', 'cs.AI', 'cs.RO', 'cs.IR', 'stat.ML'].map((c) => html`<option value="${c}">`)}</datalist>
</form>`;
}

/** A title or snippet with its LaTeX rendered and the matched words of its text marked. */
function marked(text: string, terms: string[]): SafeHtml {
  return renderTex(text, { plainText: (plain) => highlight(plain, terms) }).html;
}

function result(paper: Paper, terms: string[]): SafeHtml {
  const path = paperPath(paper.id);
  return html`<article class="search-result">
  <h2 class="paper-title"><a href="${path}">${marked(paper.title, terms)}</a></h2>
  ${paper.authors.length > 0 ? html`<p class="paper-authors">${authorLinks(paper.authors, CARD_AUTHORS, (name) => highlight(name, terms))}</p>` : ''}
  ${paper.abstract ? html`<p class="search-snippet">${marked(snippet(paper.abstract, terms), terms)}</p>` : ''}
  <div class="paper-meta">
    ${categoryTags(paper.categories)}
    ${paper.publishedOn ? html`<span class="published">${dayTime(paper.publishedOn)}</span>` : ''}
    <span class="upvotes" aria-label="${paper.upvotes} upvotes">▲ ${paper.upvotes}</span>
    <a class="comment-count" href="${path}#comments" aria-label="${paper.numComments} comments">${paper.numComments}</a>
  </div>
</article>`;
}

function pagination(view: SearchPageView): SafeHtml | '' {
  if (!view.previous && !view.next) return '';
  return html`<nav class="pagination" aria-label="Result pages">
    ${view.previous ? html`<a class="button" rel="prev" href="${view.previous}">← Previous</a>` : ''}
    <span class="muted">Page ${view.page}</span>
    ${view.next ? html`<a class="button" rel="next" href="${view.next}">Next →</a>` : ''}
  </nav>`;
}

function results(view: SearchPageView): SafeHtml {
  if (view.notice)
    return html`<div class="empty-state ${view.notice.kind === 'error' ? 'error' : ''}" role="${view.notice.kind === 'error' ? 'alert' : 'status'}"><p>${view.notice.message}</p></div>`;
  if (!view.form.q) {
    return html`<div class="empty-state"><p><strong>Search every paper by its words.</strong></p>
      <p class="muted">Try <code>linear attention</code>, <code>"masked autoencoders"</code>, <code>diffus*</code>, <code>au:hinton</code>, <code>cat:cs.CL</code> or an arXiv id such as <code>2203.06604</code>.</p></div>`;
  }
  if (view.papers.length === 0) {
    return html`<div class="empty-state" role="status"><p><strong>No papers match “${view.form.q}”${view.page > 1 ? ' on this page' : ''}.</strong></p>
      <p class="muted">Check the spelling, use fewer words, or widen the filters.</p></div>`;
  }
  return html`<div class="search-results">${view.papers.map((paper) => result(paper, view.terms))}</div>${pagination(view)}`;
}

export function searchPage(view: SearchPageView, visitor: Visitor): SafeHtml {
  const rss = view.feeds.find((feed) => feed.type === 'application/rss+xml');
  const body = html`<section class="search">
  <div class="feed-header">
    <div>
      <p class="eyebrow">Search</p>
      <h1>${view.form.q ? html`Results for “${view.form.q}”` : 'Search papers'}</h1>
    </div>
    ${view.form.q && rss ? html`<a class="button feed-link" href="${rss.href}" title="${rss.title}">RSS feed of this search</a>` : ''}
  </div>
  ${searchForm(view.form)}
  ${view.rankingNote ? html`<p class="muted" role="status">${view.rankingNote}</p>` : ''}
  ${results(view)}
</section>`;
  return layout({
    title: view.form.q ? `Search: ${view.form.q}` : 'Search',
    body,
    viewer: visitor.viewer,
    csrfToken: visitor.csrfToken,
    alternateFeeds: view.form.q ? view.feeds : [],
    query: view.form.q,
    head: view.papers.length > 0 ? katexHead() : '',
  });
}
