import type { Subscriber } from '../store/subscriptions.js';
import { html } from '../markup/html.js';
import { button, colours, emailDocument, link } from './email-layout.js';
import type { RenderedMail } from './render.js';

/**
 * What was asked for, in our own words only: anyone can type any address and any topics into the
 * form, so a mail sent on such a request never repeats what they typed (it would carry their
 * message to a stranger's inbox). The topics are shown on the page the link opens.
 */
function describeChoice(subscriber: Subscriber): string {
  return `a ${subscriber.frequency} email from dailypapers`;
}

/** The double opt-in mail: nothing else is sent to the address until its link is followed. */
export function renderConfirmation(subscriber: Subscriber, links: { confirm: string; baseUrl: string }): RenderedMail {
  const subject = 'Confirm your dailypapers subscription';
  const choice = describeChoice(subscriber);
  const body = html`<h1 style="margin:0 0 16px;font-size:20px;color:${colours.text};">One click to confirm</h1>
<p style="margin:0 0 16px;">Someone, hopefully you, asked for ${choice} at ${subscriber.email}.</p>
<p style="margin:0 0 16px;">${button(links.confirm, 'Confirm my subscription')}</p>
<p style="margin:0;color:${colours.muted};font-size:14px;">The link works for 7 days. If you did not ask for this, ignore this mail: nothing more will be sent.</p>`;
  const footer = html`Sent by ${link(links.baseUrl, 'dailypapers')} because this address was entered in its subscribe form.`;
  const text = [
    'One click to confirm',
    '',
    `Someone, hopefully you, asked for ${choice} at ${subscriber.email}.`,
    '',
    `Confirm: ${links.confirm}`,
    '',
    'The link works for 7 days. If you did not ask for this, ignore this mail: nothing more will be sent.',
    '',
  ].join('\n');
  return {
    subject,
    html: emailDocument({ title: subject, preheader: 'Confirm your subscription to get digests', body, footer }),
    text,
  };
}

/** A fresh manage link, for someone who is already subscribed or whose old link expired. */
export function renderManageLink(
  subscriber: Subscriber,
  links: { manage: string; unsubscribe: string; baseUrl: string },
): RenderedMail {
  const subject = 'Your dailypapers subscription';
  const state =
    subscriber.status === 'active'
      ? `You receive ${describeChoice(subscriber)}.`
      : 'Your subscription is waiting for confirmation.';
  const body = html`<h1 style="margin:0 0 16px;font-size:20px;color:${colours.text};">Manage your subscription</h1>
<p style="margin:0 0 16px;">${state}</p>
<p style="margin:0 0 16px;">${button(links.manage, 'Change topics or frequency')}</p>
<p style="margin:0;color:${colours.muted};font-size:14px;">Or ${link(links.unsubscribe, 'unsubscribe')}. If you did not ask for this mail, you can ignore it.</p>`;
  const footer = html`Sent by ${link(links.baseUrl, 'dailypapers')} because a link for this address was requested.`;
  const text = [
    `Manage your subscription`,
    '',
    state,
    '',
    `Change topics or frequency: ${links.manage}`,
    `Unsubscribe: ${links.unsubscribe}`,
    '',
  ].join('\n');
  return {
    subject,
    html: emailDocument({ title: subject, preheader: 'Your link to manage your subscription', body, footer }),
    text,
  };
}
