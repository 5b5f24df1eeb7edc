import { html, type SafeHtml } from '../../markup/html.js';
import { paperPath } from '../../markup/urls.js';
import type { ForYou } from '../../recommend/for-you.js';
import type { Reason } from '../../recommend/profile.js';
import type { Follow } from '../../store/follows.js';
import type { Paper } from '../../store/papers.js';
import { renderTexCached } from '../latex.js';
import type { Visitor } from '../visitor.js';
import { followPath } from './author-links.js';
import { katexHead } from './katex.js';
import { layout } from './layout.js';
import { paperCard } from './paper-card.js';
import { voteScript } from './vote-button.js';

/** The periods /for-you offers; `all` ranks every stored paper. */
export const FOR_YOU_PERIODS = ['1', '7', '30', '365', 'all'] as const;
export type ForYouPeriod = (typeof FOR_YOU_PERIODS)[number];

export interface ForYouView {
  forYou: ForYou;
  papers: Map<string, Paper>;
  follows: Follow[];
  period: ForYouPeriod;
  visitor: Visitor;
}

function reasonHtml(reason: Reason | null): SafeHtml {
  if (!reason) return html`Trending`;
  if (reason.kind === 'like')
    return html`Like <a href="${paperPath(reason.paperId)}"><em>${renderTexCached(reason.title).html}</em></a> that you ${reason.signal}`;
  const link = html`<a href="${followPath(reason.follow)}"><em>${reason.follow.label}</em></a>`;
  if (reason.follow.kind === 'search') return html`Matches your followed search ${link}`;
  return html`You follow ${reason.follow.kind === 'category' ? html`the category ${link}` : link}`;
}

/** A small form posting one action for this page; it works without JavaScript and comes back here. */
function actionForm(action: string, fields: Record<string, string>, label: string, visitor: Visitor, returnTo: string) {
  return html`<form class="inline" method="post" action="${action}">
    <input type="hidden" name="_csrf" value="${visitor.csrfToken ?? ''}">
    ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
    <input type="hidden" name="return_to" value="${returnTo}">
    <button type="submit" class="link">${label}</button>
  </form>`;
}

const PERIOD_LABELS: Record<ForYouPeriod, string> = {
  '1': 'Today',
  '7': 'Last 7 days',
  '30': 'Last 30 days',
  '365': 'Last year',
  all: 'Every paper',
};

const FOLLOW_LABELS: Record<Follow['kind'], string> = { author: 'Author', category: 'Category', search: 'Search' };

/** /for-you: the member's recommendations with their reasons, "not interested" buttons and their follows. */
export function forYouPage(view: ForYouView): SafeHtml {
  const { forYou, visitor, period } = view;
  const returnTo = `/for-you?days=${period}`;
  const items = forYou.items.flatMap((item) => {
    const paper = view.papers.get(item.id);
    return paper ? [{ paper, reason: item.reason }] : [];
  });
  const body = html`<section class="feed for-you">
  <div class="feed-header">
    <div>
      <p class="eyebrow">Learned from your upvotes, saves and follows</p>
      <h1>For you</h1>
      ${
        forYou.basis === 'trending'
          ? html`<p class="muted basis-note">You have no upvotes, saves or follows yet, so these are trending papers. Upvote, save or follow something and this page learns from it at once.</p>`
          : html`<p class="muted">Each paper says why it is here; “Not interested” teaches the ranking too.</p>`
      }
    </div>
    <form method="get" action="/for-you" class="period-form">
      <label>Published <select name="days">${FOR_YOU_PERIODS.map(
        (p) => html`<option value="${p}"${p === period ? html` selected` : ''}>${PERIOD_LABELS[p]}</option>`,
      )}</select></label>
      <button type="submit">Show</button>
    </form>
  </div>
  ${
    items.length === 0
      ? html`<div class="empty-state"><p><strong>Nothing to recommend in this period.</strong> Try a longer one.</p></div>`
      : html`<ol class="paper-list recommendations">${items.map(
          ({ paper, reason }, i) => html`<li class="recommendation" data-paper-id="${paper.id}">
        ${paperCard(paper, { rank: i + 1, visitor, returnTo })}
        <p class="reason">${reasonHtml(reason)}
          ${actionForm('/not-interested', { paper: paper.id }, 'Not interested', visitor, returnTo)}</p>
      </li>`,
        )}</ol>`
  }
  <section class="follows" aria-labelledby="follows-heading">
    <h2 id="follows-heading">You follow</h2>
    ${
      view.follows.length === 0
        ? html`<p class="muted">Nothing yet: follow authors from their pages, searches from the search page, or a category here.</p>`
        : html`<ul>${view.follows.map(
            (
              f,
            ) => html`<li>${FOLLOW_LABELS[f.kind]}: <a href="${followPath({ kind: f.kind, label: f.target })}">${f.target}</a>
            ${f.inDigest ? html`<span class="muted">· a topic of your email digest</span>` : ''}
            ${actionForm('/follows/digest', { kind: f.kind, target: f.target, in_digest: f.inDigest ? '0' : '1' }, f.inDigest ? 'Take out of my digest' : 'Add to my digest', visitor, returnTo)}
            ${actionForm('/follows/delete', { kind: f.kind, target: f.target }, 'Unfollow', visitor, returnTo)}</li>`,
          )}</ul>`
    }
    <p class="muted">“Add to my digest” makes a follow a section of the email digest sent to your account’s address (<a href="/subscribe">subscribe</a> with it first).</p>
    <form method="post" action="/follows" class="follow-form">
      <input type="hidden" name="_csrf" value="${visitor.csrfToken ?? ''}">
      <input type="hidden" name="return_to" value="${returnTo}">
      <select name="kind" aria-label="What to follow"><option value="category">Category</option><option value="author">Author</option><option value="search">Search</option></select>
      <input name="target" required maxlength="500" placeholder="cs.CL, an author’s name, or search words" aria-label="Follow">
      <button type="submit">Follow</button>
    </form>
  </section>
</section>`;
  return layout({
    title: 'For you',
    body,
    viewer: visitor.viewer,
    csrfToken: visitor.csrfToken,
    head: [items.some(({ paper }) => renderTexCached(paper.title).hasMath) ? katexHead() : '', voteScript(visitor)],
  });
}
