import type { DigestFrequency } from '../db/schema.js';
import { isArxivId } from '../ingest/normalize.js';
import type { Period } from '../rank/periods.js';
import type { Paper } from '../store/papers.js';
import { html, type SafeHtml } from '../markup/html.js';
import { arxivAbsUrl, arxivPdfUrl, paperPath } from '../markup/urls.js';
import { colours, emailDocument, link } from './email-layout.js';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface DigestToRender {
  frequency: DigestFrequency;
  period: Period;
  /** `reasons`: why each paper (by id) is there, shown above it ("For you"). */
  sections: { title: string; papers: Paper[]; reasons?: Readonly<Record<string, string>> }[];
  baseUrl: string;
  manageUrl: string;
  unsubscribeUrl: string;
}

const ABSTRACT_CHARS = 320;
const AUTHORS_SHOWN = 4;

/** The first sentences of an abstract, cut at a word boundary. */
export function shortAbstract(abstract: string, limit = ABSTRACT_CHARS): string {
  const text = abstract.replace(/\s+/g, ' ').trim();
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const space = cut.lastIndexOf(' ');
  return `${(space > limit * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

export function authorLine(paper: Paper): string {
  const names = paper.authors.map((a) => a.name);
  if (names.length <= AUTHORS_SHOWN) return names.join(', ');
  return `${names.slice(0, AUTHORS_SHOWN).join(', ')} and ${names.length - AUTHORS_SHOWN} more`;
}

function upvoteLine(paper: Paper): string {
  return `▲ ${paper.upvotes} ${paper.upvotes === 1 ? 'upvote' : 'upvotes'}`;
}

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const shortDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const shortDayYear = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

const date = (day: string) => new Date(`${day}T00:00:00Z`);

/** Labels per period, computed once: every digest of a run shares its period, and Intl formatting is slow (a pure memo). */
const periodTexts = new Map<string, { label: string; dates: string }>();

function textsFor(period: Period): { label: string; dates: string } {
  const key = `${period.kind}:${period.key}`;
  let texts = periodTexts.get(key);
  if (!texts) {
    const range = `${shortDay.format(date(period.from))} – ${shortDayYear.format(date(period.to))}`;
    texts =
      period.kind === 'day'
        ? { label: dayFormat.format(date(period.from)).replace(',', ''), dates: shortDayYear.format(date(period.from)) }
        : { label: `the week of ${range}`, dates: `${period.key} (${range})` };
    periodTexts.set(key, texts);
  }
  return texts;
}

/** "Friday 28 November 2026" or "the week of 23 Nov – 29 Nov 2026". */
export function periodLabel(period: Period): string {
  return textsFor(period).label;
}

function paperLinks(paper: Paper, baseUrl: string): { label: string; href: string }[] {
  const links = [{ label: 'Read on dailypapers', href: `${baseUrl}${paperPath(paper.id)}` }];
  if (isArxivId(paper.id))
    links.push({ label: 'arXiv', href: arxivAbsUrl(paper.id) }, { label: 'PDF', href: arxivPdfUrl(paper.id) });
  if (paper.githubUrl) links.push({ label: 'Code', href: paper.githubUrl });
  return links;
}

export function digestSubject(digest: Pick<DigestToRender, 'frequency' | 'period'>, count: number): string {
  return `${digest.frequency === 'daily' ? 'Daily' : 'Weekly'} papers for ${textsFor(digest.period).dates}: ${count} ${count === 1 ? 'paper' : 'papers'}`;
}

/** A paper's part of a digest, the same in every digest that shows it. */
interface PaperBlock {
  html: SafeHtml;
  /** Plain-text lines after the numbered title line. */
  title: string;
  text: string[];
}

// Rendered once per paper and base URL, then reused by every digest that lists the paper (a pure memo on the paper object).
const paperBlocks = new WeakMap<Paper, { baseUrl: string; block: PaperBlock }>();

function paperBlock(paper: Paper, baseUrl: string): PaperBlock {
  const cached = paperBlocks.get(paper);
  if (cached?.baseUrl === baseUrl) return cached.block;
  const links = paperLinks(paper, baseUrl);
  const summary = shortAbstract(paper.abstract);
  const block: PaperBlock = {
    html: html`
<div style="margin:0 0 20px;">
<h3 style="margin:0 0 4px;font-size:16px;line-height:1.35;">${link(links[0]!.href, paper.title)}</h3>
<p style="margin:0 0 6px;color:${colours.muted};font-size:13px;">${authorLine(paper)}</p>
<p style="margin:0 0 6px;color:${colours.text};font-size:14px;">${summary}</p>
<p style="margin:0;color:${colours.muted};font-size:13px;"><strong style="color:${colours.text};">${upvoteLine(paper)}</strong> · ${links.map((l, i) => html`${i > 0 ? ' · ' : ''}${link(l.href, l.label)}`)}</p>
</div>`,
    title: paper.title.replace(/\s+/g, ' '),
    text: [
      `   ${authorLine(paper)}`,
      `   ${upvoteLine(paper)}`,
      ...links.map((l) => `   ${l.label}: ${l.href}`),
      '',
      `   ${summary}`,
      '',
    ],
  };
  paperBlocks.set(paper, { baseUrl, block });
  return block;
}

function renderHtml(digest: DigestToRender, subject: string, count: number): string {
  const body = html`
<p style="margin:0 0 4px;color:${colours.muted};font-size:13px;text-transform:uppercase;letter-spacing:.04em;">dailypapers · ${digest.frequency} digest</p>
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:${colours.text};">${count} ${count === 1 ? 'paper' : 'papers'} for ${periodLabel(digest.period)}</h1>
${digest.sections.map(
  (section) => html`
<h2 style="margin:24px 0 8px;padding-bottom:4px;border-bottom:2px solid ${colours.rule};font-size:17px;color:${colours.text};">${section.title}</h2>
${section.papers.map((paper) => {
  const reason = section.reasons?.[paper.id];
  const block = paperBlock(paper, digest.baseUrl).html;
  return reason
    ? html`<p style="margin:0 0 2px;color:${colours.muted};font-size:13px;font-style:italic;">${reason}</p>${block}`
    : block;
})}`,
)}`;
  const footer = html`You receive this ${digest.frequency} digest because you subscribed at ${link(digest.baseUrl, digest.baseUrl.replace(/^https?:\/\//, ''))}.<br>
${link(digest.manageUrl, 'Change topics or frequency')} · ${link(digest.unsubscribeUrl, 'Unsubscribe')}`;
  return emailDocument({
    title: subject,
    preheader: digest.sections
      .flatMap((s) => s.papers.map((p) => p.title))
      .slice(0, 3)
      .join(' · '),
    body,
    footer,
  });
}

function renderText(digest: DigestToRender, count: number): string {
  const lines = [
    `dailypapers ${digest.frequency} digest`,
    `${count} ${count === 1 ? 'paper' : 'papers'} for ${periodLabel(digest.period)}`,
    '',
  ];
  let n = 0;
  for (const section of digest.sections) {
    lines.push(section.title.toUpperCase(), '');
    for (const paper of section.papers) {
      const block = paperBlock(paper, digest.baseUrl);
      const reason = section.reasons?.[paper.id];
      lines.push(`${++n}. ${block.title}`, ...(reason ? [`   ${reason}`] : []), ...block.text);
    }
  }
  lines.push('--', `Change topics or frequency: ${digest.manageUrl}`, `Unsubscribe: ${digest.unsubscribeUrl}`, '');
  return lines.join('\n');
}

/** A digest as mail: subject with date and count, an HTML part and a plain-text part. */
export function renderDigest(digest: DigestToRender): RenderedMail {
  const count = digest.sections.reduce((n, s) => n + s.papers.length, 0);
  const subject = digestSubject(digest, count);
  return { subject, html: renderHtml(digest, subject, count), text: renderText(digest, count) };
}
