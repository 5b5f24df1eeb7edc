import { html, type SafeHtml } from '../../markup/html.js';
import { isHttpUrl } from '../../markup/urls.js';
import type { CodeLinkKind } from '../../store/paper-text.js';
import type { Paper } from '../../store/papers.js';
import { renderTexCached } from '../latex.js';

// What a reader takes in at a glance (issue 14): the summary teaser and keyphrases of cards and paper pages.

/** The search a keyphrase links to: the phrase, quoted. */
export function keywordSearchPath(keyword: string): string {
  return `/search?q=${encodeURIComponent(`"${keyword}"`)}`;
}

/** The one-sentence summary, LaTeX rendered like the abstract it comes from; nothing until computed. */
export function summaryTeaser(paper: Pick<Paper, 'aiSummary'>): SafeHtml | '' {
  return paper.aiSummary ? html`<p class="paper-summary">${renderTexCached(paper.aiSummary).html}</p>` : '';
}

/** Whether the summary shown holds math (the page then needs the KaTeX stylesheet). */
export function summaryHasMath(paper: Pick<Paper, 'aiSummary'>): boolean {
  return paper.aiSummary ? renderTexCached(paper.aiSummary).hasMath : false;
}

/** Keyphrases a card shows at most, so cards in a grid keep one height; the paper page shows them all. */
export const CARD_KEYWORDS = 5;

/** The best `limit` keyphrases, each a link to the search for it; nothing until computed. */
export function keywordLinks(paper: Pick<Paper, 'aiKeywords'>, limit = Number.POSITIVE_INFINITY): SafeHtml | '' {
  if (paper.aiKeywords.length === 0) return '';
  return html`<ul class="keywords" aria-label="Keywords">${paper.aiKeywords
    .slice(0, limit)
    .map((k) => html`<li><a href="${keywordSearchPath(k)}">${k}</a></li>`)}</ul>`;
}

/** 1234 → "1.2k": star counts as GitHub shows them. */
export function compactCount(count: number): string {
  if (count < 1000) return String(count);
  const thousands = count / 1000;
  return thousands < 100 ? `${Number(thousands.toFixed(1))}k` : `${Math.round(thousands)}k`;
}

/** A link to the paper's GitHub repository, with its stars once known. */
export function githubBadge(paper: Pick<Paper, 'githubUrl' | 'githubStars'>): SafeHtml | '' {
  if (!isHttpUrl(paper.githubUrl)) return '';
  const stars = paper.githubStars;
  return html`<a class="badge github" href="${paper.githubUrl}" rel="nofollow noopener">GitHub${
    stars === null ? '' : html` <span aria-label="${stars} stars">★ ${compactCount(stars)}</span>`
  }</a>`;
}

/** What a code link is, as its badge and button say it. */
export const CODE_LINK_LABELS: Record<CodeLinkKind, string> = {
  gitlab: 'GitLab',
  'hf-model': 'Hugging Face model',
  'hf-dataset': 'Hugging Face dataset',
  'hf-space': 'Hugging Face space',
};

/** Links to the paper's GitLab projects and Hugging Face models, datasets and spaces. */
export function codeLinkBadges(paper: Pick<Paper, 'codeLinks'>): SafeHtml[] {
  return paper.codeLinks.map(
    (link) =>
      html`<a class="badge code-link" href="${link.url}" rel="nofollow noopener">${CODE_LINK_LABELS[link.kind]}</a>`,
  );
}
