import { html, type SafeHtml } from '../../markup/html.js';
import { layout } from './layout.js';

const HEADINGS: Record<number, string> = {
  400: 'That address is not quite right',
  404: 'Page not found',
  405: 'Method not allowed',
  413: 'Too much data',
  429: 'Slow down a little',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

/** A readable error page: what happened and a way back. `message` is shown as escaped text. */
export function errorPage(status: number, message: string): SafeHtml {
  const heading = HEADINGS[status] ?? (status >= 500 ? HEADINGS[500]! : 'Request not understood');
  return layout({
    title: heading,
    body: html`<section class="error-page">
  <p class="status-code">${status}</p>
  <h1>${heading}</h1>
  <p>${message}</p>
  <p><a class="button primary" href="/">Go to today’s papers</a></p>
</section>`,
  });
}
