import type { Subscriber } from '../../store/subscriptions.js';
import { html, type SafeHtml } from '../../markup/html.js';
import { layout } from './layout.js';
import { forYouCheckbox, subscribeForm, type SubscribeFormOptions } from './subscribe.js';

/** Pages a subscriber reaches from a form or from a signed link in a mail; no login involved. */
function page(title: string, body: SafeHtml): SafeHtml {
  return layout({ title, body: html`<section class="subscription">${body}</section>` });
}

export function subscribePage(options: SubscribeFormOptions = {}): SafeHtml {
  return page('Subscribe', html`<h1>Daily papers in your inbox</h1>${subscribeForm(options)}`);
}

export function checkInboxPage(email: string): SafeHtml {
  return page(
    'Check your inbox',
    html`<h1>Check your inbox</h1>
<p>If ${email} can receive mail, a message with a link is on its way. Follow it to confirm; until then nothing else is sent.</p>
<p class="muted">Nothing arrived after a few minutes? Look in the spam folder, or <a href="/subscribe">try again</a>.</p>`,
  );
}

/** What a subscription sends, in a sentence. */
export function choiceSummary(subscriber: Subscriber): string {
  const parts = [
    subscriber.includeTop ? 'the top papers' : '',
    subscriber.topics.length > 0 ? `new papers on ${subscriber.topics.join(', ')}` : '',
    subscriber.forYou ? 'a “For you” section' : '',
  ].filter(Boolean);
  return `${subscriber.frequency === 'daily' ? 'Every day with papers' : 'Every week'}: ${parts.join(' and ')}.`;
}

/** Asks for a click before confirming, so a mail scanner that opens links confirms nothing. */
export function confirmPage(subscriber: Subscriber, action: string): SafeHtml {
  return page(
    'Confirm your subscription',
    html`<h1>Confirm your subscription</h1>
<p>${subscriber.email} · ${choiceSummary(subscriber)}</p>
<form method="post" action="${action}"><button class="primary">Confirm subscription</button></form>`,
  );
}

export function confirmedPage(subscriber: Subscriber, manageUrl: string, already: boolean): SafeHtml {
  return page(
    'Subscribed',
    html`<h1>${already ? 'You were already subscribed' : 'You are subscribed'}</h1>
<p>${choiceSummary(subscriber)}</p>
<p><a href="${manageUrl}">Change topics or frequency</a> at any time; every email has an unsubscribe link too.</p>`,
  );
}

export function managePage(
  subscriber: Subscriber,
  urls: { action: string; unsubscribe: string },
  notice?: { saved?: boolean; error?: string },
): SafeHtml {
  return page(
    'Your subscription',
    html`<h1>Your subscription</h1>
<p>${subscriber.email} · ${subscriber.status === 'active' ? choiceSummary(subscriber) : `This subscription is ${subscriber.status}.`}</p>
${notice?.saved ? html`<p class="notice" role="status">Saved.</p>` : ''}
${notice?.error ? html`<p class="error" role="alert">${notice.error}</p>` : ''}
<form method="post" action="${urls.action}" class="notice">
  <p><label>How often
    <select name="frequency">
      <option value="daily"${subscriber.frequency === 'daily' ? html` selected` : ''}>Daily</option>
      <option value="weekly"${subscriber.frequency === 'weekly' ? html` selected` : ''}>Weekly</option>
    </select></label></p>
  <p><label><input type="checkbox" name="top" value="1"${subscriber.includeTop ? html` checked` : ''}> The top papers by upvotes</label></p>
  <p><label>New papers on (one topic a line: an arXiv category such as cs.CL, or search words)<br>
    <textarea name="topics" rows="5" cols="50" maxlength="3000">${subscriber.topics.join('\n')}</textarea></label></p>
  ${forYouCheckbox(subscriber.forYou, 'For members: the account with this address.')}
  <p><button class="primary">Save</button></p>
</form>
${
  subscriber.status === 'active' || subscriber.status === 'pending'
    ? html`<form method="post" action="${urls.unsubscribe}"><button>Unsubscribe</button></form>`
    : html`<p><a href="/subscribe">Subscribe again</a></p>`
}`,
  );
}

export function unsubscribePage(subscriber: Subscriber, action: string): SafeHtml {
  return page(
    'Unsubscribe',
    html`<h1>Unsubscribe ${subscriber.email}?</h1>
<p>You will get no more digests.</p>
<form method="post" action="${action}"><button class="primary">Unsubscribe</button></form>`,
  );
}

export function unsubscribedPage(subscriber: Subscriber): SafeHtml {
  return page(
    'Unsubscribed',
    html`<h1>You are unsubscribed</h1>
<p>${subscriber.email} will get no more digests. Changed your mind? <a href="/subscribe">Subscribe again</a>.</p>`,
  );
}

/** A link that is forged, damaged or too old, with a way to get a fresh one. */
export function linkProblemPage(reason: 'invalid' | 'expired'): SafeHtml {
  return page(
    reason === 'expired' ? 'Link expired' : 'Link not valid',
    html`<h1>${reason === 'expired' ? 'This link has expired' : 'This link is not valid'}</h1>
<p>${reason === 'expired' ? 'Links in our emails stop working after a while.' : 'It may have been cut short when it was copied.'} Enter your address and we will send you a fresh link to manage your subscription.</p>
<form method="post" action="/subscriptions/link" class="notice">
  <p><label>Email <input type="email" name="email" required maxlength="254" autocomplete="email"></label></p>
  <p><button class="primary">Send me a link</button></p>
</form>`,
  );
}

export function linkSentPage(): SafeHtml {
  return page(
    'Check your inbox',
    html`<h1>Check your inbox</h1><p>If that address has a subscription, a fresh link to manage it is on its way.</p>`,
  );
}

export function formErrorPage(title: string, message: string): SafeHtml {
  return page(
    title,
    html`<h1>${title}</h1><p class="error" role="alert">${message}</p><p><a href="/subscribe">Back to the subscribe form</a></p>`,
  );
}
