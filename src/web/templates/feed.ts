import { feedLinksFor } from '../../feeds/params.js';
import { html, type SafeHtml } from '../../markup/html.js';
import { renderTexCached } from '../latex.js';
import { periodKeyOf, type Period, type PeriodKind } from '../../rank/periods.js';
import type { Paper } from '../../store/papers.js';
import { periodPath } from '../../markup/urls.js';
import { formatDay, formatLongDay, formatMonth } from './dates.js';
import { katexHead } from './katex.js';
import { layout } from './layout.js';
import { paperCard } from './paper-card.js';
import { summaryHasMath } from './paper-glance.js';
import { voteScript } from './vote-button.js';
import type { Visitor } from '../visitor.js';
import { subscribeForm } from './subscribe.js';

export interface FeedView {
  period: Period;
  papers: Paper[];
  /** Rank of the first paper on this page, minus one. */
  offset: number;
  /** The page number (from 1) and whether another page follows. */
  page: number;
  hasMore: boolean;
  /** Keys of the nearest periods before and after that have papers, or null at either end. */
  previous: string | null;
  next: string | null;
  /** A day in the period to anchor the day/week/month switch on. */
  anchorDay: string;
  /** The home page shows the latest day under its own title. */
  isHome?: boolean;
}

/** "Friday 27 November 2026", "Week 48 of 2026", "November 2026". */
export function periodTitle(period: Period): string {
  if (period.kind === 'day') return formatLongDay(period.key);
  if (period.kind === 'week') return `Week ${Number(period.key.slice(6))} of ${period.key.slice(0, 4)}`;
  return formatMonth(period.key);
}

function periodLabel(kind: PeriodKind, key: string): string {
  if (kind === 'day') return formatDay(key);
  if (kind === 'week') return `Week ${Number(key.slice(6))}, ${key.slice(0, 4)}`;
  return formatMonth(key);
}

const KIND_NAMES: Record<PeriodKind, string> = { day: 'Daily', week: 'Weekly', month: 'Monthly' };

function periodSwitch(view: FeedView): SafeHtml {
  return html`<nav class="period-switch" aria-label="Period">${(['day', 'week', 'month'] as const).map(
    (kind) =>
      html`<a href="${periodPath(kind, periodKeyOf(kind, view.anchorDay))}"${kind === view.period.kind ? html` aria-current="page"` : ''}>${KIND_NAMES[kind]}</a>`,
  )}</nav>`;
}

function periodNavigation(view: FeedView): SafeHtml {
  const { kind } = view.period;
  const link = (key: string | null, rel: 'prev' | 'next', arrow: string) =>
    key
      ? html`<a class="button" rel="${rel}" href="${periodPath(kind, key)}">${rel === 'prev' ? `${arrow} ` : ''}${periodLabel(kind, key)}${rel === 'next' ? ` ${arrow}` : ''}</a>`
      : html`<span class="button disabled" aria-disabled="true">${arrow}</span>`;
  return html`<nav class="period-nav" aria-label="Previous and next">
    ${link(view.previous, 'prev', '←')}
    ${link(view.next, 'next', '→')}
  </nav>`;
}

function pagination(view: FeedView): SafeHtml | '' {
  if (view.page === 1 && !view.hasMore) return '';
  const path = periodPath(view.period.kind, view.period.key);
  const pageLink = (page: number) => (page === 1 ? path : `${path}?page=${page}`);
  return html`<nav class="pagination" aria-label="Pages">
    ${view.page > 1 ? html`<a class="button" rel="prev" href="${pageLink(view.page - 1)}">← Previous page</a>` : ''}
    <span class="muted">Page ${view.page}</span>
    ${view.hasMore ? html`<a class="button" rel="next" href="${pageLink(view.page + 1)}">Next page →</a>` : ''}
  </nav>`;
}

function emptyState(view: FeedView): SafeHtml {
  const where = { day: 'on this day', week: 'in this week', month: 'in this month' }[view.period.kind];
  return html`<div class="empty-state">
    <p><strong>No papers were featured ${where}.</strong></p>
    <p class="muted">${view.previous || view.next ? 'Try a neighbouring period with the arrows above, or ' : ''}<a href="/">go to the latest papers</a>.</p>
  </div>`;
}

function feedPath(view: FeedView): string {
  const path = view.isHome ? '/' : periodPath(view.period.kind, view.period.key);
  return view.page > 1 ? `${path}?page=${view.page}` : path;
}

/** A day, week or month of featured papers. */
export function feedPage(view: FeedView, visitor: Visitor): SafeHtml {
  const { period } = view;
  const returnTo = feedPath(view);
  const title = periodTitle(period);
  const weekRange =
    period.kind === 'week'
      ? html`<span class="muted period-range">${formatDay(period.from)} – ${formatDay(period.to)}</span>`
      : '';
  const hasMath = view.papers.some((p) => renderTexCached(p.title).hasMath || summaryHasMath(p));
  const body = html`<section class="feed">
  <div class="feed-header">
    <div>
      <p class="eyebrow">${view.isHome ? 'Latest daily papers' : `${KIND_NAMES[period.kind]} papers`}</p>
      <h1>${title}</h1>
      ${weekRange}
    </div>
    ${periodSwitch(view)}
  </div>
  ${periodNavigation(view)}
  ${
    view.papers.length === 0
      ? emptyState(view)
      : html`<div class="paper-list">${view.papers.map((paper, i) =>
          paperCard(paper, { rank: view.offset + i + 1, showFeaturedDay: period.kind !== 'day', visitor, returnTo }),
        )}</div>`
  }
  ${pagination(view)}
  ${subscribeForm()}
</section>`;
  return layout({
    title: view.isHome ? 'Daily papers' : title,
    description: `Papers featured ${period.kind === 'day' ? `on ${title}` : `in ${title}`}`,
    body,
    viewer: visitor.viewer,
    csrfToken: visitor.csrfToken,
    head: [
      hasMath ? katexHead() : '',
      view.isHome ? html`<link rel="canonical" href="${periodPath('day', period.key)}">` : '',
      voteScript(visitor),
    ],
    // Every period page follows the same stream: the daily feed, newest day first.
    alternateFeeds: feedLinksFor(),
  });
}

/** The home page before anything has been featured. */
export function emptyHomePage(visitor: Visitor): SafeHtml {
  return layout({
    title: 'Daily papers',
    viewer: visitor.viewer,
    csrfToken: visitor.csrfToken,
    alternateFeeds: feedLinksFor(),
    body: html`<section class="feed">
  <h1>Daily papers</h1>
  <div class="empty-state">
    <p><strong>No papers have been featured yet.</strong></p>
    <p class="muted">Papers appear here once they are featured on a day: import a file with
      <code>dailypapers import FILE --featured-on YYYY-MM-DD</code>, or <a href="/submit">submit a paper</a>.</p>
  </div>
</section>`,
  });
}
