import type { DigestFrequency } from '../db/schema.js';
import { isArxivId } from '../ingest/normalize.js';
import type { Period } from '../rank/periods.js';
import type { Paper } from '../store/papers.js';
import { html } from '../web/html.js';
import { colours, emailDocument, link } from './email-layout.js';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface DigestToRender {
  frequency: DigestFrequency;
  period: Period;
  sections: { title: string; papers: Paper[] }[];
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

const dayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const shortDayYear = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "Friday 28 November 2026" or "the week of 23–29 Nov 2026". */
export function periodLabel(period: Period): string {
  const from = new Date(`${period.from}T00:00:00Z`);
  if (period.kind === 'day') return dayFormat.format(from).replace(',', '');
  return `the week of ${shortDay.format(from)} – ${shortDayYear.format(new Date(`${period.to}T00:00:00Z`))}`;
}

function paperLinks(paper: Paper, baseUrl: string): { label: string; href: string }[] {
  const links = [{ label: 'Read on dailypapers', href: `${baseUrl}/papers/${encodeURIComponent(paper.id)}` }];
  if (isArxivId(paper.id)) {
    links.push({ label: 'arXiv', href: `https://arxiv.org/abs/${paper.id}` }, { label: 'PDF', href: `https://arxiv.org/pdf/${paper.id}` });
  }
  if (paper.githubUrl) links.push({ label: 'Code', href: paper.githubUrl });
  return links;
}

export function digestSubject(digest: Pick<DigestToRender, 'frequency' | 'period'>, count: number): string {
  const papers = `${count} ${count === 1 ? 'paper' : 'papers'}`;
  if (digest.frequency === 'daily') return `Daily papers for ${shortDayYear.format(new Date(`${digest.period.from}T00:00:00Z`))}: ${papers}`;
  return `Weekly papers for ${digest.period.key} (${shortDay.format(new Date(`${digest.period.from}T00:00:00Z`))} – ${shortDayYear.format(new Date(`${digest.period.to}T00:00:00Z`))}): ${papers}`;
}

function renderHtml(digest: DigestToRender, subject: string, count: number): string {
  const body = html`
<p style="margin:0 0 4px;color:${colours.muted};font-size:13px;text-transform:uppercase;letter-spacing:.04em;">dailypapers · ${digest.frequency} digest</p>
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:${colours.text};">${count} ${count === 1 ? 'paper' : 'papers'} for ${periodLabel(digest.period)}</h1>
${digest.sections.map(
  (section) => html`
<h2 style="margin:24px 0 8px;padding-bottom:4px;border-bottom:2px solid ${colours.rule};font-size:17px;color:${colours.text};">${section.title}</h2>
${section.papers.map(
  (paper) => html`
<div style="margin:0 0 20px;">
<h3 style="margin:0 0 4px;font-size:16px;line-height:1.35;">${link(`${digest.baseUrl}/papers/${encodeURIComponent(paper.id)}`, paper.title)}</h3>
<p style="margin:0 0 6px;color:${colours.muted};font-size:13px;">${authorLine(paper)}</p>
<p style="margin:0 0 6px;color:${colours.text};font-size:14px;">${shortAbstract(paper.abstract)}</p>
<p style="margin:0;color:${colours.muted};font-size:13px;"><strong style="color:${colours.text};">${upvoteLine(paper)}</strong> · ${paperLinks(paper, digest.baseUrl).map((l, i) => html`${i > 0 ? ' · ' : ''}${link(l.href, l.label)}`)}</p>
</div>`,
)}`,
)}`;
  const footer = html`You receive this ${digest.frequency} digest because you subscribed at ${link(digest.baseUrl, digest.baseUrl.replace(/^https?:\/\//, ''))}.<br>
${link(digest.manageUrl, 'Change topics or frequency')} · ${link(digest.unsubscribeUrl, 'Unsubscribe')}`;
  return emailDocument({ title: subject, preheader: digest.sections.flatMap((s) => s.papers.map((p) => p.title)).slice(0, 3).join(' · '), body, footer });
}

function renderText(digest: DigestToRender, count: number): string {
  const lines = [`dailypapers ${digest.frequency} digest`, `${count} ${count === 1 ? 'paper' : 'papers'} for ${periodLabel(digest.period)}`, ''];
  let n = 0;
  for (const section of digest.sections) {
    lines.push(section.title.toUpperCase(), '');
    for (const paper of section.papers) {
      lines.push(`${++n}. ${paper.title.replace(/\s+/g, ' ')}`, `   ${authorLine(paper)}`, `   ${upvoteLine(paper)}`);
      for (const l of paperLinks(paper, digest.baseUrl)) lines.push(`   ${l.label}: ${l.href}`);
      lines.push('', `   ${shortAbstract(paper.abstract)}`, '');
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
