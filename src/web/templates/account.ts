import { html, type SafeHtml } from '../../markup/html.js';
import { userPath } from '../../markup/urls.js';
import type { Subscriber } from '../../store/subscriptions.js';
import type { ApiToken, User } from '../../store/users.js';
import { forYouCheckbox } from './subscribe.js';
import { choiceSummary } from './subscriptions.js';

const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

function problem(message: string | undefined): SafeHtml | string {
  return message ? html`<p class="error" role="alert">${message}</p>` : '';
}

export interface SignupFormOptions {
  csrfToken: string;
  error?: string;
  email?: string;
  username?: string;
  next: string;
  /** NEW_ACCOUNT_DELAY_MINUTES: said up front, so that a new member's first upvote is not a surprise. */
  newAccountDelayMinutes: number;
}

function delayNotice(minutes: number): string {
  const wait = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `You can comment right away; upvoting and submitting papers open ${wait} after you sign up.`;
}

export function signupForm(options: SignupFormOptions): SafeHtml {
  const delay = options.newAccountDelayMinutes;
  return html`<section class="narrow">
  <h1>Sign up</h1>
  ${problem(options.error)}
  ${delay > 0 ? html`<p class="notice">${delayNotice(delay)}</p>` : ''}
  <form method="post" action="/signup" class="stacked">
    ${csrfField(options.csrfToken)}
    <input type="hidden" name="next" value="${options.next}">
    <label>Email <input type="email" name="email" required autocomplete="email" value="${options.email ?? ''}"></label>
    <label>Username <input name="username" required minlength="2" maxlength="32" pattern="[A-Za-z0-9][A-Za-z0-9_\\-]{1,31}" autocomplete="username" value="${options.username ?? ''}"></label>
    <label>Password <input type="password" name="password" required minlength="8" autocomplete="new-password"></label>
    <button class="primary" type="submit">Create account</button>
  </form>
  <p class="muted">Already have an account? <a href="/login">Log in</a>.</p>
</section>`;
}

/** After a sign-up, new address or taken: the same page either way. */
export function signupSent(options: { email: string; minutes: number }): SafeHtml {
  return html`<section class="narrow">
  <h1>Check your email</h1>
  <p class="notice" role="status">We sent a link to ${options.email}.
    Open it within ${options.minutes} minutes to finish signing up and log in.</p>
  <p>If that address already has an account, the mail says so and logs you in to it instead.</p>
</section>`;
}

export function loginForm(options: {
  csrfToken: string;
  error?: string;
  notice?: string;
  email?: string;
  next: string;
}): SafeHtml {
  return html`<section class="narrow">
  <h1>Log in</h1>
  ${problem(options.error)}
  ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
  <form method="post" action="/login" class="stacked">
    ${csrfField(options.csrfToken)}
    <input type="hidden" name="next" value="${options.next}">
    <label>Email <input type="email" name="email" required autocomplete="email" value="${options.email ?? ''}"></label>
    <label>Password <input type="password" name="password" required autocomplete="current-password"></label>
    <button class="primary" type="submit">Log in</button>
  </form>
  <h2>Or get a login link by email</h2>
  <form method="post" action="/login/email" class="stacked">
    ${csrfField(options.csrfToken)}
    <label>Email <input type="email" name="email" required autocomplete="email" value="${options.email ?? ''}"></label>
    <button type="submit">Email me a login link</button>
  </form>
  <p class="muted">New here? <a href="/signup">Sign up</a>.</p>
</section>`;
}

export function loginLinkConfirm(options: { csrfToken: string; token: string; username: string }): SafeHtml {
  return html`<section class="narrow">
  <h1>Log in as ${options.username}?</h1>
  <form method="post" action="/login/link">
    ${csrfField(options.csrfToken)}
    <input type="hidden" name="token" value="${options.token}">
    <button class="primary" type="submit">Log in</button>
  </form>
</section>`;
}

export function accountPage(options: {
  user: User;
  tokens: ApiToken[];
  csrfToken: string;
  newToken?: string;
  error?: string;
  /** A confirmation after a change (a new password). */
  notice?: string;
  /** Why deleting the account was refused, shown beside its form. */
  deletionError?: string;
  /** When the private feed was made (null: none), and its URL just after it was made (shown once). */
  personalFeed: { since: string | null; newUrls?: { rss: string; atom: string } };
  /** The digest subscription of the account's address, if any. */
  digest: Subscriber | null;
}): SafeHtml {
  const { user } = options;
  return html`<section>
  <h1>Your account</h1>
  <dl class="facts">
    <dt>Username</dt><dd>${user.username}</dd>
    <dt>Email</dt><dd>${user.email}</dd>
    <dt>Role</dt><dd>${user.role}</dd>
    <dt>Member since</dt><dd>${user.createdAt.slice(0, 10)}</dd>
  </dl>
  ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
  <p><a href="${userPath(user.username)}">Your public profile</a> · <a href="/library">Your library</a> ·
    <a href="/account/activity">Your votes and comments</a> · <a href="/account/export.json" download>Export your data (JSON)</a></p>
  <h2>Password</h2>
  <form method="post" action="/account/password" class="inline-form">
    ${csrfField(options.csrfToken)}
    <label>Current password <input type="password" name="current" autocomplete="current-password"></label>
    <label>New password <input type="password" name="password" required minlength="8" autocomplete="new-password"></label>
    <button type="submit">Change password</button>
  </form>
  <p class="muted">Changing it logs you out everywhere else.</p>
  <h2 id="email">Email address</h2>
  <form method="post" action="/account/email" class="inline-form">
    ${csrfField(options.csrfToken)}
    <label>New address <input type="email" name="email" required maxlength="254" autocomplete="email"></label>
    <label>Current password <input type="password" name="password" autocomplete="current-password"></label>
    <button type="submit">Change address</button>
  </form>
  <p class="muted">We mail a link to the new address; until it is followed, ${user.email} stays in use, and it is told of the change.
    Without a password, log in by email link first.</p>
  <h2>API tokens</h2>
  <p class="muted">Scripts authenticate with <code>Authorization: Bearer TOKEN</code>. A token is shown once, when you create it.</p>
  ${problem(options.error)}
  ${options.newToken ? html`<p class="notice" role="status">Your new token: <code class="new-token">${options.newToken}</code></p>` : ''}
  ${
    options.tokens.length > 0
      ? html`<table class="tokens"><thead><tr><th>Name</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>
      ${options.tokens.map(
        (
          t,
        ) => html`<tr><td>${t.name}</td><td>${t.createdAt.slice(0, 10)}</td><td>${t.lastUsedAt?.slice(0, 10) ?? 'never'}</td>
        <td><form method="post" action="/account/tokens/${t.id}/revoke" class="inline">${csrfField(options.csrfToken)}<button>Revoke</button></form></td></tr>`,
      )}
    </tbody></table>`
      : html`<p>No tokens yet.</p>`
  }
  <form method="post" action="/account/tokens" class="inline-form">
    ${csrfField(options.csrfToken)}
    <label>Token name <input name="name" required maxlength="80" placeholder="my script"></label>
    <button type="submit">Create token</button>
  </form>
  ${personalFeedSection(options.personalFeed, options.csrfToken)}
  ${digestSection(user, options.digest, options.csrfToken)}
  <form method="post" action="/logout">${csrfField(options.csrfToken)}<button type="submit">Log out</button></form>
  ${deletionSection(user.username, options.csrfToken, options.deletionError)}
</section>`;
}

/** Deleting the account: what goes and what stays, said before the password and typed username are asked for. */
function deletionSection(username: string, csrf: string, error: string | undefined) {
  return html`<h2 id="delete">Delete your account</h2>
  <p class="muted">This cannot be undone. Your upvotes are withdrawn; your library, collections (public ones too), follows,
    private feed, API tokens, sessions and the digest subscription of your address are deleted. Your comments and the
    papers you submitted stay, credited to “deleted member”. Your username and email address become free to use again.</p>
  ${problem(error)}
  <form method="post" action="/account/delete" class="stacked">
    ${csrfField(csrf)}
    <label>Current password <input type="password" name="password" autocomplete="current-password"></label>
    <label>Type your username, ${username}, to confirm <input name="confirm" required autocomplete="off" spellcheck="false"></label>
    <button class="danger" type="submit">Delete account</button>
  </form>
  <p class="muted">Without a password, log in by email link first.</p>`;
}

/** After an account is deleted: said plainly, with the session already ended. */
export function accountDeleted(username: string): SafeHtml {
  return html`<section class="narrow">
  <h1>Account deleted</h1>
  <p class="notice" role="status">The account ${username} is deleted and you are logged out everywhere.</p>
  <p><a href="/">Back to today’s papers</a></p>
</section>`;
}

/** The private "For you" feed: make it, see its URL once, replace it (the old URL stops) or end it. */
/** The digest to the account's address: whether it has a "For you" section (topics and frequency are changed by its manage link). */
function digestSection(user: User, digest: Subscriber | null, csrf: string) {
  const live = digest && (digest.status === 'active' || digest.status === 'pending');
  return html`<h2 id="digest">Email digest</h2>
  ${
    live
      ? html`<p>${digest.status === 'pending' ? 'Waiting for confirmation: ' : ''}${choiceSummary(digest)}</p>
  <form method="post" action="/account/digest">
    ${csrfField(csrf)}
    ${forYouCheckbox(digest.forYou, '')}
    <button type="submit">Save</button>
  </form>
  <p class="muted">Topics and frequency are changed from the link in any digest; follows become topics with “Add to my digest” on <a href="/for-you">For you</a>.</p>`
      : html`<p>No digest goes to ${user.email}. <a href="/subscribe">Subscribe</a> with it to get one, with a “For you” section if you like.</p>`
  }`;
}

function personalFeedSection(feed: { since: string | null; newUrls?: { rss: string; atom: string } }, csrf: string) {
  return html`<h2 id="private-feed">Your private feed</h2>
  <p class="muted">Your “For you” papers in a feed reader. Anyone with its URL can read it; it is shown once, when made. Replace it if it leaks.</p>
  ${
    feed.newUrls
      ? html`<p class="notice" role="status">Your feed: <code class="new-feed-url">${feed.newUrls.rss}</code> (RSS) or <code>${feed.newUrls.atom}</code> (Atom)</p>`
      : ''
  }
  ${feed.since && !feed.newUrls ? html`<p>You have a private feed, made ${feed.since.slice(0, 10)}.</p>` : ''}
  <form method="post" action="/account/feed" class="inline">${csrfField(csrf)}<button type="submit">${feed.since ? 'Replace its URL' : 'Make a private feed'}</button></form>
  ${feed.since ? html`<form method="post" action="/account/feed/revoke" class="inline">${csrfField(csrf)}<button type="submit">Turn it off</button></form>` : ''}`;
}

/** After sign-up: a greeting and what a member can do that a reader cannot. */
export function welcomePage(options: { username: string; newAccountDelayMinutes: number }): SafeHtml {
  const delay = options.newAccountDelayMinutes;
  return html`<section class="narrow welcome">
  <h1>Welcome to dailypapers, ${options.username}!</h1>
  <p role="status">Your account is ready.</p>
  <ul>
    <li>Save papers with the Save button on any list or paper page; they wait in <a href="/library">your library</a>, with notes and collections.</li>
    <li>Follow authors, categories and searches, and see papers picked for you on <a href="/for-you">For you</a>.</li>
    <li>Comment on any paper${delay > 0 ? html`; upvoting and submitting open ${delay} minute${delay === 1 ? '' : 's'} after sign-up` : ', upvote and submit papers'}.</li>
    <li>Get a daily or weekly digest by email: <a href="/subscribe">subscribe</a>.</li>
  </ul>
  <p><a class="button primary" href="/">Read today’s papers</a></p>
</section>`;
}

/** The page a link mailed to a new address opens: a button, so that mail scanners following links change nothing. */
export function emailChangeConfirm(options: { csrfToken: string; token: string }): SafeHtml {
  return html`<section class="narrow">
  <h1>Use this address for your account?</h1>
  <form method="post" action="/account/email/confirm">
    ${csrfField(options.csrfToken)}
    <input type="hidden" name="token" value="${options.token}">
    <button class="primary" type="submit">Confirm the new address</button>
  </form>
</section>`;
}

export function emailChanged(newEmail: string): SafeHtml {
  return html`<section class="narrow">
  <h1>Address changed</h1>
  <p class="notice" role="status">Your account now uses ${newEmail}. Log in with it from now on.</p>
  <p><a href="/account">Your account</a></p>
</section>`;
}
