import type { Submission } from '../../community/submit.js';
import { memberLink } from './member-link.js';
import { html, type SafeHtml } from '../../markup/html.js';
import { paperPath } from '../../markup/urls.js';
import { renderTexCached } from '../latex.js';

export function submitPage(options: {
  csrfToken: string;
  windowDays: number;
  dailyLimit: number;
  input?: string;
  error?: string;
  result?: Submission;
}): SafeHtml {
  const { result } = options;
  const title = result ? renderTexCached(result.paper.title).html : '';
  return html`<section class="narrow">
  <h1>Submit a paper</h1>
  ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
  ${
    result
      ? html`<p class="notice" role="status">${
          result.duplicate
            ? html`<a href="${paperPath(result.paper.id)}">${title}</a> is already on the list of ${result.paper.featuredOn}${result.paper.submittedBy ? html`, submitted by ${memberLink(result.paper.submittedBy)}` : ''}.`
            : html`Thanks! <a href="${paperPath(result.paper.id)}">${title}</a> is on today's list.`
        }</p>`
      : ''
  }
  <form method="post" action="/submit" class="stacked" data-busy-label="Looking up on arXiv…">
    <input type="hidden" name="_csrf" value="${options.csrfToken}">
    <label>arXiv id or URL <input name="paper" required maxlength="256" placeholder="2501.12345 or https://arxiv.org/abs/2501.12345" value="${options.input ?? ''}"></label>
    <button class="primary" type="submit">Submit</button>
  </form>
  <p class="muted">Papers published in the last ${options.windowDays} days can be submitted, up to ${options.dailyLimit} a day.
    The paper joins today's list with your name on it.</p>
</section>`;
}
