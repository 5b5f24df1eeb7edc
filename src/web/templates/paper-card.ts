import { html, type SafeHtml } from '../../markup/html.js';
import { renderTexCached } from '../latex.js';
import type { Paper } from '../../store/papers.js';
import { paperPath } from '../../markup/urls.js';
import { dayTime } from './dates.js';
import { CARD_KEYWORDS, codeLinkBadges, githubBadge, keywordLinks, summaryTeaser } from './paper-glance.js';
import { saveButton } from './save-button.js';
import { voteButton } from './vote-button.js';
import type { Visitor } from '../visitor.js';
import { authorLinks, followPath } from './author-links.js';
import { isDeletedMember, memberLink } from './member-link.js';

/** How many authors a card names before "et al.". */
export const CARD_AUTHORS = 6;

export function categoryTags(categories: string[]): SafeHtml | '' {
  if (categories.length === 0) return '';
  return html`<ul class="categories" aria-label="Categories">${categories.map(
    (c, i) =>
      html`<li class="category${i === 0 ? ' primary' : ''}"><a href="${followPath({ kind: 'category', label: c })}">${c}</a></li>`,
  )}</ul>`;
}

/** The paper's picture: its first page (or title card) at /thumbnails, which the browser loads as it scrolls near. */
export function thumbnailPath(id: string): string {
  return `/thumbnails/${id}.webp`;
}

/** The member's generated identicon. */
export function avatarPath(username: string): string {
  return `/avatars/${encodeURIComponent(username)}.svg`;
}

/** "submitted by NAME" with the member's identicon, the name linking to their profile (a deleted member's: neither). */
export function submitter(username: string | null): SafeHtml | '' {
  if (!username) return '';
  const avatar = isDeletedMember(username)
    ? ''
    : html`<img class="avatar" src="${avatarPath(username)}" alt="" width="20" height="20">`;
  return html`<span class="submitter">${avatar}<span class="submitted-by">submitted by ${memberLink(username)}</span></span>`;
}

export interface PaperCardOptions {
  /** Position in the list, from 1. */
  rank: number;
  visitor: Visitor;
  /** The page the card is on, where a vote posted without JavaScript returns to. */
  returnTo: string;
  /** Shows the day the paper was featured (on week and month lists). */
  showFeaturedDay?: boolean;
}

/** One paper in a feed grid: its picture, title, authors, summary and keywords, then who submitted it and its counts. */
export function paperCard(paper: Paper, options: PaperCardOptions): SafeHtml {
  const path = paperPath(paper.id);
  return html`<article class="paper-card">
  <a class="card-image" href="${path}" tabindex="-1" aria-hidden="true"><img src="${thumbnailPath(paper.id)}" alt="" loading="lazy" width="640" height="400"></a>
  <span class="rank"><span class="visually-hidden">Rank </span>${options.rank}</span>
  <div class="card-body">
    <h2 class="paper-title"><a href="${path}">${renderTexCached(paper.title).html}</a></h2>
    ${paper.authors.length > 0 ? html`<p class="paper-authors" title="${paper.authors.length} authors">${authorLinks(paper.authors, CARD_AUTHORS)}</p>` : ''}
    ${summaryTeaser(paper)}
    ${keywordLinks(paper, CARD_KEYWORDS)}
    <div class="paper-meta">
      ${categoryTags(paper.categories.slice(0, 2))}
      ${githubBadge(paper)}
      ${codeLinkBadges(paper)}
      ${options.showFeaturedDay && paper.featuredOn ? html`<span class="featured-day">${dayTime(paper.featuredOn)}</span>` : ''}
    </div>
    <div class="card-footer">
      ${submitter(paper.submittedBy)}
      ${saveButton(paper, options.visitor, options.returnTo)}
      <span class="spacer"></span>
      <a class="comment-count" href="${path}#comments" aria-label="${paper.numComments} comments">${paper.numComments}</a>
      ${voteButton(paper, { ...options.visitor, voted: options.visitor.votedIds.has(paper.id), returnTo: options.returnTo })}
    </div>
  </div>
</article>`;
}
