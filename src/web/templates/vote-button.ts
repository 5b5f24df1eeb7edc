import { html, type SafeHtml } from '../../markup/html.js';
import type { Viewer } from '../../http/auth.js';

export interface VoteButtonOptions {
  viewer: Viewer | null;
  voted: boolean;
  csrfToken: string | null;
  /** Where a form post (without JavaScript) returns to. */
  returnTo: string;
}

/**
 * The upvote control with its count. For members it is a form that posts the wanted state (so a
 * double submit cannot flip it back); /static/vote.js sends the same form with fetch() and updates
 * the count in place. Anonymous readers get a link to log in.
 */
export function voteButton(paper: { id: string; upvotes: number }, options: VoteButtonOptions): SafeHtml {
  const inner = html`<span class="vote-arrow" aria-hidden="true">▲</span>
    <span class="vote-count">${paper.upvotes}</span>
    <span class="visually-hidden">upvotes</span>`;
  if (!options.viewer) {
    return html`<a class="vote" href="/login?next=${encodeURIComponent(options.returnTo)}" title="Log in to upvote" data-paper-id="${paper.id}">${inner}</a>`;
  }
  return html`<form class="vote${options.voted ? ' voted' : ''}" method="post" action="/vote" data-paper-id="${paper.id}">
    <input type="hidden" name="_csrf" value="${options.csrfToken ?? ''}">
    <input type="hidden" name="paper" value="${paper.id}">
    <input type="hidden" name="return_to" value="${options.returnTo}">
    <button type="submit" name="direction" value="${options.voted ? 'down' : 'up'}" aria-pressed="${options.voted ? 'true' : 'false'}"
      title="${options.voted ? 'Remove your upvote' : 'Upvote'}">${inner}</button>
  </form>`;
}

/** The script that sends vote forms without a reload, for pages shown to members. */
export function voteScript(visitor: { viewer: Viewer | null }): SafeHtml | '' {
  return visitor.viewer ? html`<script src="/static/vote.js" defer></script>` : '';
}
