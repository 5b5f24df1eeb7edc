import { html, type SafeHtml } from '../../markup/html.js';
import type { Viewer } from '../../http/auth.js';
import { layout } from './layout.js';

const HEADINGS: Record<number, string> = {
  400: 'That address is not quite right',
  401: 'Please log in',
  403: 'Not allowed',
  404: 'Page not found',
  405: 'Method not allowed',
  409: 'That cannot be done now',
  413: 'Too much data',
  429: 'Slow down a little',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
};

export interface ErrorPageOptions {
  viewer?: Viewer | null;
  csrfToken?: string | null;
  /** Where a login from a 401 leads back to. */
  loginNext?: string;
  /** The page a refused form came from, offered as the way back. */
  returnTo?: string;
}

/** A readable error page: what happened and a way back. `message` is shown as escaped text. */
export function errorPage(status: number, message: string, options: ErrorPageOptions = {}): SafeHtml {
  const heading = HEADINGS[status] ?? (status >= 500 ? HEADINGS[500]! : 'Request not understood');
  const { viewer = null, csrfToken = null, loginNext = '/', returnTo } = options;
  return layout({
    title: heading,
    viewer,
    csrfToken,
    body: html`<section class="error-page">
  <p class="status-code">${status}</p>
  <h1>${heading}</h1>
  <p class="error" role="alert">${message}</p>
  ${status === 401 ? html`<p><a class="button primary" href="/login?next=${encodeURIComponent(loginNext)}">Log in</a> or <a href="/signup">sign up</a>.</p>` : ''}
  ${returnTo ? html`<p><a class="button primary" href="${returnTo}">Back to the page</a></p>` : ''}
  <p><a class="button${status === 401 || returnTo ? '' : ' primary'}" href="/">Go to today’s papers</a></p>
</section>`,
  });
}
