import { feedLinksFor } from '../../feeds/params.js';
import { html, type SafeHtml } from '../../markup/html.js';
import { renderTexCached } from '../latex.js';
import { monthPeriod, periodKeyOf, type Period, type PeriodKind } from '../../rank/periods.js';
import type { Paper } from '../../store/papers.js';
import { periodPath } from '../../markup/urls.js';
import { formatDay, formatLongDay, formatMonth } from './dates.js';
import { katexHead } from './katex.js';
import { layout } from './layout.js';
import { paperCard, thumbnailPath } from './paper-card.js';
import { summaryHasMath } from './paper-glance.js';
import { voteScript } from './vote-button.js';
import type { Visitor } from '../visitor.js';
import { subscribeForm } from './subscribe.js';
import { formatCategoryFilter, type CategoryFilter } from '../../search/query.js';

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
  /** The month the calendar shows (YYYY-MM) and its days with featured papers. */
  calendar: { month: string; featuredDays: string[] };
  /** The site's public address, for link previews. */
  siteUrl: string;
  /** The categories the page is narrowed to (`?category=`), kept in its links. */
  category?: CategoryFilter;
}

/** `path` with the page's category filter and a page number (from 2) as its query. */
function withFilter(view: FeedView, path: string, page = 1): string {
  const query = new URLSearchParams();
  if (view.category) query.set('category', formatCategoryFilter(view.category));
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** "Showing cs.CL, cs.LG, without cs.CY — show all", above a narrowed list. */
function filterNote(view: FeedView, path: string): SafeHtml | '' {
  if (!view.category) return '';
  const { include, exclude } = view.category;
  const shown = [
    include.length ? include.join(', ') : 'all categories',
    ...(exclude.length ? [`without ${exclude.join(', ')}`] : []),
  ];
  return html`<p class="filter-note">Showing ${shown.join(', ')} — <a href="${path}">show all</a></p>`;
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
      html`<a href="${withFilter(view, periodPath(kind, periodKeyOf(kind, view.anchorDay)))}"${kind === view.period.kind ? html` aria-current="page"` : ''}>${KIND_NAMES[kind]}</a>`,
  )}</nav>`;
}

function periodNavigation(view: FeedView): SafeHtml {
  const { kind } = view.period;
  const link = (key: string | null, rel: 'prev' | 'next', arrow: string) =>
    key
      ? html`<a class="button" rel="${rel}" href="${withFilter(view, periodPath(kind, key))}">${rel === 'prev' ? `${arrow} ` : ''}${periodLabel(kind, key)}${rel === 'next' ? ` ${arrow}` : ''}</a>`
      : html`<span class="button disabled" aria-disabled="true">${arrow}</span>`;
  return html`<nav class="period-nav" aria-label="Previous and next">
    ${link(view.previous, 'prev', '←')}
    ${link(view.next, 'next', '→')}
  </nav>`;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * A month's calendar: the days with featured papers link to their pages (bold and underlined, not
 * told apart by colour alone), arrows go to the neighbouring months, and a date field jumps to any day;
 * all of them keep the page's category filter, and only days with papers in those categories are linked.
 */
function calendar(view: FeedView): SafeHtml {
  const month = monthPeriod(view.calendar.month)!;
  const featured = new Set(view.calendar.featuredDays);
  const current = view.period.kind === 'day' ? view.period.key : null;
  const lastDay = Number(month.to.slice(8));
  // Monday-first columns, as ISO weeks are.
  const leading = (new Date(`${month.from}T00:00:00Z`).getUTCDay() + 6) % 7;
  const cells: (string | null)[] = [
    ...Array.from({ length: leading }, () => null),
    ...Array.from({ length: lastDay }, (_, i) => `${month.key}-${String(i + 1).padStart(2, '0')}`),
  ];
  const weeks = Array.from({ length: Math.ceil(cells.length / 7) }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const cell = (day: string | null) => {
    if (!day) return html`<td></td>`;
    const number = Number(day.slice(8));
    const currentMark = day === current ? html` aria-current="date"` : '';
    return featured.has(day)
      ? html`<td><a class="has-papers" href="${withFilter(view, periodPath('day', day))}"${currentMark}>${number}</a></td>`
      : html`<td><span class="no-papers"${currentMark}>${number}</span></td>`;
  };
  return html`<details class="calendar">
  <summary class="button">Calendar</summary>
  <div class="calendar-panel">
    <div class="calendar-head">
      <a href="${withFilter(view, periodPath('month', month.previous))}" aria-label="${formatMonth(month.previous)}">←</a>
      <a href="${withFilter(view, periodPath('month', month.key))}"><strong>${formatMonth(month.key)}</strong></a>
      <a href="${withFilter(view, periodPath('month', month.next))}" aria-label="${formatMonth(month.next)}">→</a>
    </div>
    <table class="calendar-grid">
      <caption class="visually-hidden">Days of ${formatMonth(month.key)}; linked days have papers</caption>
      <thead><tr>${WEEKDAYS.map((d) => html`<th scope="col"><abbr title="${d}">${d.slice(0, 2)}</abbr></th>`)}</tr></thead>
      <tbody>${weeks.map((week) => html`<tr>${week.map(cell)}${Array.from({ length: 7 - week.length }, () => html`<td></td>`)}</tr>`)}</tbody>
    </table>
    <form class="day-jump" action="/papers/date" method="get">
      <label>Go to a day <input type="date" name="day" required value="${view.anchorDay}"></label>
      ${view.category ? html`<input type="hidden" name="category" value="${formatCategoryFilter(view.category)}">` : ''}
      <button type="submit">Go</button>
    </form>
  </div>
</details>`;
}

/** The invitation at the top of each list: the digest form at the foot of the page, or the feed. */
function subscribeBanner(rssHref: string): SafeHtml {
  return html`<aside class="subscribe-banner" aria-label="Subscribe">
  <p><strong>Get the top papers by email</strong> <span class="muted">— daily or weekly, unsubscribe in one click.</span></p>
  <p class="subscribe-actions"><a class="button primary" href="#subscribe">Subscribe</a> <a class="button" href="${rssHref}">RSS feed</a></p>
</aside>`;
}

function pagination(view: FeedView): SafeHtml | '' {
  if (view.page === 1 && !view.hasMore) return '';
  const path = periodPath(view.period.kind, view.period.key);
  const pageLink = (page: number) => withFilter(view, path, page);
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
  return withFilter(view, view.isHome ? '/' : periodPath(view.period.kind, view.period.key), view.page);
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
  // Every period page follows the same stream: the daily feed, newest day first, in the same categories.
  const feeds = feedLinksFor(
    view.category ? { categories: view.category.include, excludedCategories: view.category.exclude } : {},
  );
  const body = html`<section class="feed">
  ${subscribeBanner(feeds[0]!.href)}
  <div class="feed-header">
    <div>
      <p class="eyebrow">${view.isHome ? 'Latest daily papers' : `${KIND_NAMES[period.kind]} papers`}</p>
      <h1>${title}</h1>
      ${weekRange}
    </div>
    <div class="feed-tools">
      ${calendar(view)}
      ${periodSwitch(view)}
    </div>
  </div>
  ${periodNavigation(view)}
  ${filterNote(view, view.isHome ? '/' : periodPath(period.kind, period.key))}
  ${
    view.papers.length === 0
      ? emptyState(view)
      : html`<div class="paper-grid">${view.papers.map((paper, i) =>
          paperCard(paper, { rank: view.offset + i + 1, showFeaturedDay: period.kind !== 'day', visitor, returnTo }),
        )}</div>`
  }
  ${pagination(view)}
  ${subscribeForm()}
</section>`;
  const path = view.isHome ? '/' : periodPath(period.kind, period.key);
  const site = view.siteUrl.replace(/\/+$/, '');
  const lead = view.papers[0];
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
    alternateFeeds: feeds,
    preview: lead ? { type: 'website', url: site + path, image: site + thumbnailPath(lead.id) } : undefined,
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
