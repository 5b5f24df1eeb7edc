import { html, type SafeHtml } from '../../markup/html.js';

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const longDayFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

const utc = (day: string) => new Date(`${day}T00:00:00Z`);

/** "13 Mar 2022" */
export function formatDay(day: string): string {
  return dayFormat.format(utc(day));
}

/** "Friday 27 November 2026" */
export function formatLongDay(day: string): string {
  return longDayFormat.format(utc(day)).replace(',', '');
}

/** "November 2026" for '2026-11' */
export function formatMonth(month: string): string {
  return monthFormat.format(utc(`${month}-01`));
}

/** A machine-readable date with its readable form. */
export function dayTime(day: string): SafeHtml {
  return html`<time datetime="${day}">${formatDay(day)}</time>`;
}
