import type { Visitor } from '../visitor.js';
import type { Paper } from '../../store/papers.js';
import { html, type SafeHtml } from '../../markup/html.js';
import { renderTexCached } from '../latex.js';
import { katexHead } from './katex.js';
import { layout, type AlternateFeed } from './layout.js';
import { paperCard } from './paper-card.js';
import { voteScript } from './vote-button.js';

const HEADINGS = {
  trending: { title: 'Trending papers', note: 'Ranked by recent upvotes: a vote counts half as much after a day.' },
  stars: { title: 'Most starred code', note: 'Ranked by the GitHub stars of the code linked from each paper.' },
};

/** /papers/trending: featured papers by time-decayed votes, or (`?sort=stars`) by their code's GitHub stars. */
export function trendingPage(
  papers: Paper[],
  visitor: Visitor,
  feeds: AlternateFeed[],
  sort: 'trending' | 'stars' = 'trending',
): SafeHtml {
  const heading = HEADINGS[sort];
  const returnTo = sort === 'stars' ? '/papers/trending?sort=stars' : '/papers/trending';
  const body = html`<section class="feed">
  <div class="feed-header">
    <div>
      <p class="eyebrow">Rising now</p>
      <h1>${heading.title}</h1>
      <p class="muted">${heading.note}</p>
      <nav class="sort-choice" aria-label="Order">
        <a href="/papers/trending"${sort === 'trending' ? html` aria-current="page"` : ''}>Trending</a>
        <a href="/papers/trending?sort=stars"${sort === 'stars' ? html` aria-current="page"` : ''}>Most stars</a>
      </nav>
    </div>
  </div>
  ${
    papers.length === 0
      ? html`<div class="empty-state"><p><strong>Nothing is trending yet.</strong></p></div>`
      : html`<div class="paper-grid">${papers.map((paper, i) => paperCard(paper, { rank: i + 1, showFeaturedDay: true, visitor, returnTo }))}</div>`
  }
</section>`;
  return layout({
    title: heading.title,
    body,
    viewer: visitor.viewer,
    csrfToken: visitor.csrfToken,
    alternateFeeds: feeds,
    head: [papers.some((p) => renderTexCached(p.title).hasMath) ? katexHead() : '', voteScript(visitor)],
  });
}
