import type { Paper } from '../../store/papers.js';
import { html, type SafeHtml } from '../html.js';
import { voteButton, type VoteButtonOptions } from './vote-button.js';

/** /papers/trending: papers by time-decayed votes. */
export function trendingPage(papers: Paper[], vote: Omit<VoteButtonOptions, 'voted'> & { votedIds: Set<string> }): SafeHtml {
  return html`<section>
  <h1>Trending papers</h1>
  <p class="muted">Ranked by recent upvotes: each vote counts half as much after a day.</p>
  ${papers.length === 0 ? html`<p>Nothing is trending yet.</p>` : ''}
  <ol class="paper-list trending">
    ${papers.map((p) => html`<li class="paper-card" data-paper-id="${p.id}">
      ${voteButton(p, { ...vote, voted: vote.votedIds.has(p.id) })}
      <div class="paper-main">
        <h2 class="paper-title"><a href="/papers/${p.id}">${p.title}</a></h2>
        <p class="paper-meta muted">${p.featuredOn ? `featured ${p.featuredOn}` : ''}${p.submittedBy ? ` · submitted by ${p.submittedBy}` : ''} · <a href="/papers/${p.id}#comments">${p.numComments} comments</a></p>
      </div>
    </li>`)}
  </ol>
</section>`;
}
