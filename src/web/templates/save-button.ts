import { html, type SafeHtml } from '../../markup/html.js';
import type { Visitor } from '../visitor.js';

/**
 * Save (or remove) a paper from the reader's library: a plain form that posts the wanted state and returns
 * to the page, so it works without JavaScript. Anonymous readers get a link to log in.
 */
export function saveButton(paper: { id: string }, visitor: Visitor, returnTo: string): SafeHtml {
  if (!visitor.viewer) {
    return html`<a class="save-link" href="/login?next=${encodeURIComponent(returnTo)}" title="Log in to save papers">Save</a>`;
  }
  const saved = visitor.savedIds.has(paper.id);
  return html`<form class="save${saved ? ' saved' : ''}" method="post" action="${saved ? '/library/remove' : '/library/save'}" data-paper-id="${paper.id}">
    <input type="hidden" name="_csrf" value="${visitor.csrfToken ?? ''}">
    <input type="hidden" name="paper" value="${paper.id}">
    <input type="hidden" name="return_to" value="${returnTo}">
    <button type="submit" class="link" aria-pressed="${saved ? 'true' : 'false'}" title="${saved ? 'Remove from your library' : 'Save to your library'}">${saved ? 'Saved ✓' : 'Save'}</button>
  </form>`;
}
