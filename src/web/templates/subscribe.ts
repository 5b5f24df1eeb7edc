import type { DigestFrequency } from '../../db/schema.js';
import { html, type SafeHtml } from '../../markup/html.js';

export interface SubscribeFormOptions {
  /** Topics to start with, e.g. the category of the feed being read. */
  topics?: readonly string[];
  email?: string;
  frequency?: DigestFrequency;
  /** Include the top papers; by default when no topic is given. */
  top?: boolean;
  /** A logged-in member: offered the "For you" section. */
  member?: boolean;
  forYou?: boolean;
  error?: string;
}

/** The "For you" checkbox of the subscribe and manage forms. */
export function forYouCheckbox(checked: boolean, note: string): SafeHtml {
  return html`<p><label><input type="checkbox" name="for_you" value="1"${checked ? html` checked` : ''}> Add a “For you” section</label>
  <br><span class="muted">Up to 5 papers of the period picked from your upvotes, saves and follows, each with why. ${note}</span></p>`;
}

/**
 * The subscribe form every feed page shows. Topics are comma-separated: arXiv categories
 * (cs.CL) or search words ("efficient attention"). It posts to /subscribe.
 */
export function subscribeForm(options: SubscribeFormOptions = {}): SafeHtml {
  const topics = options.topics ?? [];
  const top = options.top ?? topics.length === 0;
  const frequency = options.frequency ?? 'daily';
  return html`<form class="subscribe-form notice" id="subscribe" method="post" action="/subscribe">
  <h2>Get these papers by email</h2>
  ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
  <p>
    <label>Email <input type="email" name="email" required maxlength="254" autocomplete="email" value="${options.email ?? ''}"></label>
    <label>How often
      <select name="frequency">
        <option value="daily"${frequency === 'daily' ? html` selected` : ''}>Daily</option>
        <option value="weekly"${frequency === 'weekly' ? html` selected` : ''}>Weekly</option>
      </select>
    </label>
  </p>
  <p><label><input type="checkbox" name="top" value="1"${top ? html` checked` : ''}> The top papers by upvotes</label></p>
  <p><label>and new papers on <input type="text" name="topics" maxlength="2000" value="${topics.join(', ')}" placeholder="cs.CL, efficient attention"></label></p>
  ${options.member ? forYouCheckbox(options.forYou ?? false, 'Subscribe with your account’s address for it.') : ''}
  <p><button class="primary">Subscribe</button></p>
  <p class="muted">We first send a link to confirm; nothing else arrives until you follow it. Every email has a one-click unsubscribe.</p>
</form>`;
}
