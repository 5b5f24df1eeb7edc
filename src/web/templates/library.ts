import { LIBRARY_LIMITS } from '../../library/library.js';
import { html, type SafeHtml } from '../../markup/html.js';
import { collectionPath, paperPath, userPath } from '../../markup/urls.js';
import type { Collection, CollectionWithCount } from '../../store/collections.js';
import type { LibraryItem } from '../../store/library.js';
import type { ImportReport } from '../../library/import.js';
import type { Paper } from '../../store/papers.js';
import { renderTexCached } from '../latex.js';
import { dayTime } from './dates.js';
import { authorLinks } from './author-links.js';
import { CARD_AUTHORS } from './paper-card.js';

const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

export type ReadState = 'read' | 'unread' | undefined;

export interface LibraryView {
  items: LibraryItem[];
  total: number;
  collections: CollectionWithCount[];
  /** The collection the list is filtered by. */
  collection: Collection | null;
  state: ReadState;
  /** From 0. */
  page: number;
  pageSize: number;
  csrfToken: string;
}

/** /library with these filters (and page), omitting what is unset. */
export function libraryPath(filters: { collection?: string | null; state?: ReadState; page?: number }): string {
  const query = new URLSearchParams();
  if (filters.collection) query.set('collection', filters.collection);
  if (filters.state) query.set('state', filters.state);
  if (filters.page) query.set('p', String(filters.page));
  const text = query.toString();
  return text ? `/library?${text}` : '/library';
}

function exportLinks(collection: Collection | null): SafeHtml {
  const base = collection
    ? `/api/collections/${encodeURIComponent(collection.id)}/export?format=`
    : '/api/library/export?format=';
  return html`<p class="export-links">Export ${collection ? 'this collection' : 'your library'}:
    <a href="${base}bibtex" download>BibTeX</a> · <a href="${base}ris" download>RIS</a> · <a href="${base}csv" download>CSV</a></p>`;
}

function filters(view: LibraryView): SafeHtml {
  const collection = view.collection?.id;
  const tab = (state: ReadState, label: string) =>
    state === view.state
      ? html`<strong aria-current="page">${label}</strong>`
      : html`<a href="${libraryPath({ collection, state })}">${label}</a>`;
  return html`<nav class="library-filters" aria-label="Filter">
    ${tab(undefined, 'All')} · ${tab('unread', 'Unread')} · ${tab('read', 'Read')}
    <form method="get" action="/library" class="inline">
      ${view.state ? html`<input type="hidden" name="state" value="${view.state}">` : ''}
      <label>Collection <select name="collection">
        <option value="">All saved papers</option>
        ${view.collections.map((c) => html`<option value="${c.id}"${c.id === collection ? ' selected' : ''}>${c.name} (${c.papers})</option>`)}
      </select></label>
      <button type="submit">Show</button>
    </form>
  </nav>`;
}

function itemForms(item: LibraryItem, view: LibraryView, returnTo: string): SafeHtml {
  const paper = item.paper;
  const hidden = html`${csrfField(view.csrfToken)}<input type="hidden" name="paper" value="${paper.id}"><input type="hidden" name="return_to" value="${returnTo}">`;
  const notIn = view.collections.filter((c) => !item.collectionIds.includes(c.id));
  return html`<form method="post" action="/library/item" class="note-form">
      ${hidden}
      <label>Note <textarea name="note" rows="2" maxlength="${LIBRARY_LIMITS.noteChars}">${item.note}</textarea></label>
      <button type="submit">Save note</button>
    </form>
    <div class="item-actions">
      <form method="post" action="/library/item" class="inline">${hidden}<input type="hidden" name="read" value="${item.readAt ? 'false' : 'true'}"><button type="submit">${item.readAt ? 'Mark unread' : 'Mark read'}</button></form>
      ${
        notIn.length > 0
          ? html`<form method="post" action="/library/save" class="inline">${hidden}
        <select name="collection" aria-label="Collection">${notIn.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select>
        <button type="submit">Add to collection</button></form>`
          : ''
      }
      ${
        view.collection
          ? html`<form method="post" action="/library/remove" class="inline">${hidden}<input type="hidden" name="collection" value="${view.collection.id}"><button type="submit">Remove from this collection</button></form>`
          : ''
      }
      <form method="post" action="/library/remove" class="inline">${hidden}<button type="submit">Remove from library</button></form>
    </div>`;
}

function libraryItem(item: LibraryItem, view: LibraryView, returnTo: string): SafeHtml {
  const paper = item.paper;
  const filedIn = view.collections.filter((c) => item.collectionIds.includes(c.id));
  return html`<article class="library-item${item.readAt ? ' read' : ''}" data-paper-id="${paper.id}">
  <h2 class="paper-title"><a href="${paperPath(paper.id)}">${renderTexCached(paper.title).html}</a></h2>
  <p class="paper-authors">${authorLinks(paper.authors, CARD_AUTHORS)}</p>
  <p class="muted">Saved ${dayTime(item.savedAt.slice(0, 10))} · ${item.readAt ? html`read ${dayTime(item.readAt.slice(0, 10))}` : 'unread'}${
    filedIn.length > 0
      ? html` · in ${filedIn.map((c, i) => html`${i > 0 ? ', ' : ''}<a href="${libraryPath({ collection: c.id })}">${c.name}</a>`)}`
      : ''
  }</p>
  ${itemForms(item, view, returnTo)}
</article>`;
}

function collectionForms(view: LibraryView): SafeHtml {
  return html`<section class="collections" aria-labelledby="collections-heading">
  <h2 id="collections-heading">Collections</h2>
  ${
    view.collections.length === 0
      ? html`<p class="muted">No collections yet.</p>`
      : html`<ul class="collection-list">${view.collections.map(
          (c) => html`<li>
        <a href="${libraryPath({ collection: c.id })}">${c.name}</a> <span class="muted">(${c.papers})</span>
        ${c.public ? html`<a class="badge" href="${collectionPath(c.id)}">public page</a>` : html`<span class="badge muted">private</span>`}
        <form method="post" action="/collections/${c.id}" class="inline-form">
          ${csrfField(view.csrfToken)}
          <label>Name <input name="name" required maxlength="${LIBRARY_LIMITS.collectionNameChars}" value="${c.name}"></label>
          <label><span><input type="checkbox" name="public" value="true"${c.public ? ' checked' : ''}> Public</span></label>
          <input type="hidden" name="public_shown" value="true">
          <button type="submit">Update</button>
        </form>
      </li>`,
        )}</ul>`
  }
  <form method="post" action="/collections" class="inline-form">
    ${csrfField(view.csrfToken)}
    <label>New collection <input name="name" required maxlength="${LIBRARY_LIMITS.collectionNameChars}" placeholder="Reading group"></label>
    <label><span><input type="checkbox" name="public" value="true"> Public</span></label>
    <button type="submit">Create</button>
  </form>
</section>`;
}

function importForm(collection: Collection, csrfToken: string): SafeHtml {
  return html`<section class="import" aria-labelledby="import-heading">
  <h2 id="import-heading">Import BibTeX into ${collection.name}</h2>
  <p class="muted">Entries are matched by the arXiv id or DOI in their eprint, doi or url fields; arXiv papers not here yet are looked up on arXiv.</p>
  <form method="post" action="/collections/${collection.id}/import" class="stacked">
    ${csrfField(csrfToken)}
    <label>BibTeX <textarea name="bibtex" rows="6" required placeholder="@misc{pang2022masked, eprint={2203.06604}, archivePrefix={arXiv}}"></textarea></label>
    <button type="submit">Import</button>
  </form>
</section>`;
}

/** After an import: how many papers were filed, and each skipped entry by line. */
export function importReportPage(collection: Collection, report: ImportReport): SafeHtml {
  const skipped = report.problems.length;
  return html`<section class="import-report">
  <h1>Imported into ${collection.name}</h1>
  <p role="status">${report.imported} paper${report.imported === 1 ? '' : 's'} imported${
    report.lookedUp > 0 ? ` (${report.lookedUp} looked up on arXiv)` : ''
  }; ${skipped} entr${skipped === 1 ? 'y' : 'ies'} skipped.</p>
  ${skipped > 0 ? html`<ul class="import-problems">${report.problems.slice(0, 1000).map((p) => html`<li>Line ${p.line}: ${p.message}</li>`)}</ul>` : ''}
  ${skipped > 1000 ? html`<p class="muted">and ${skipped - 1000} more.</p>` : ''}
  <p><a class="button" href="${libraryPath({ collection: collection.id })}">Back to ${collection.name}</a></p>
</section>`;
}

function pagination(view: LibraryView): SafeHtml | '' {
  const pages = Math.ceil(view.total / view.pageSize);
  if (pages <= 1) return '';
  const at = (page: number) => libraryPath({ collection: view.collection?.id, state: view.state, page });
  return html`<nav class="pagination" aria-label="Library pages">
    ${view.page > 0 ? html`<a class="button" rel="prev" href="${at(view.page - 1)}">← Previous</a>` : ''}
    <span class="muted">Page ${view.page + 1} of ${pages}</span>
    ${view.page + 1 < pages ? html`<a class="button" rel="next" href="${at(view.page + 1)}">Next →</a>` : ''}
  </nav>`;
}

/** /library: the member's saved papers with their notes, read state and collections, filters and exports. */
export function libraryPage(view: LibraryView): SafeHtml {
  const returnTo = libraryPath({ collection: view.collection?.id, state: view.state, page: view.page });
  const heading = view.collection ? view.collection.name : 'Your library';
  return html`<section class="library">
  <h1>${heading}</h1>
  <p class="muted">${view.total} paper${view.total === 1 ? '' : 's'}${view.state ? ` ${view.state}` : ''}.</p>
  ${filters(view)}
  ${exportLinks(view.collection)}
  ${
    view.items.length === 0
      ? html`<p class="empty">Nothing here yet: save papers with the Save button on any list or paper page.</p>`
      : view.items.map((item) => libraryItem(item, view, returnTo))
  }
  ${pagination(view)}
  ${view.collection ? importForm(view.collection, view.csrfToken) : ''}
  ${collectionForms(view)}
</section>`;
}

/** /collections/{id}: a public collection (or the owner's private one), with its feeds and exports. */
export function collectionPage(options: {
  collection: Collection;
  owner: string;
  papers: Paper[];
  isOwner: boolean;
}): SafeHtml {
  const { collection, papers } = options;
  const base = collectionPath(collection.id);
  const exportBase = `/api/collections/${encodeURIComponent(collection.id)}/export?format=`;
  return html`<section class="collection-page">
  <p class="eyebrow">${collection.public ? 'Public collection' : 'Private collection'} by <a href="${userPath(options.owner)}">${options.owner}</a></p>
  <h1>${collection.name}</h1>
  ${collection.description ? html`<p>${collection.description}</p>` : ''}
  <p class="feed-links">${collection.public ? html`<a href="${base}/feed.xml">RSS</a> · <a href="${base}/atom.xml">Atom</a> · ` : ''}Export:
    <a href="${exportBase}bibtex" download>BibTeX</a> · <a href="${exportBase}ris" download>RIS</a> ·
    <a href="${exportBase}csv" download>CSV</a>
    ${options.isOwner ? html` · <a href="${libraryPath({ collection: collection.id })}">Edit in your library</a>` : ''}</p>
  ${
    papers.length === 0
      ? html`<p class="empty">No papers in this collection yet.</p>`
      : html`<ol class="collection-papers">${papers.map(
          (p) => html`<li><a href="${paperPath(p.id)}">${renderTexCached(p.title).html}</a>
        <span class="muted">${authorLinks(p.authors, CARD_AUTHORS)}${p.publishedOn ? html` · ${dayTime(p.publishedOn)}` : ''}</span></li>`,
        )}</ol>`
  }
</section>`;
}
