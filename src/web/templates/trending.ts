import type { Visitor } from '../visitor.js';
import type { Paper } from '../../store/papers.js';
import { html, type SafeHtml } from '../../markup/html.js';
import { renderTexCached } from '../latex.js';
import { katexHead } from './katex.js';
import { layout, type AlternateFeed } from './layout.js';
import { paperCard } from './paper-card.js';
import { voteScript } from './vote-button.js';

/** /papers/trending: featured papers by time-decayed votes. */
export function trendingPage(papers: Paper[], visitor: Visitor, feeds: AlternateFeed[]): SafeHtml {
  const body = html`<section class="feed">
  <div class="feed-header">
    <div>
      <p class="eyebrow">Rising now</p>
      <h1>Trending papers</h1>
      <p class="muted">Ranked by recent upvotes: a vote counts half as much after a day.</p>
    </div>
  </div>
  ${
    papers.length === 0
      ? html`<div class="empty-state"><p><strong>Nothing is trending yet.</strong></p></div>`
      : html`<div class="paper-grid">${papers.map((paper, i) => paperCard(paper, { rank: i + 1, showFeaturedDay: true, visitor, returnTo: '/papers/trending' }))}</div>`
  }
</section>`;
  return layout({
    title: 'Trending papers',
    body,
    viewer: visitor.viewer,
    csrfToken: visitor.csrfToken,
    alternateFeeds: feeds,
    head: [papers.some((p) => renderTexCached(p.title).hasMath) ? katexHead() : '', voteScript(visitor)],
  });
}
