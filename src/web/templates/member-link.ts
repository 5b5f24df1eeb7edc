import { html, type SafeHtml } from '../../markup/html.js';
import { userPath } from '../../markup/urls.js';
import { DELETED_MEMBER } from '../../store/users.js';

/** Whether a shown name stands for a deleted account (null in comments and the log, DELETED_MEMBER on submissions). */
export function isDeletedMember(username: string | null): username is null {
  return username === null || username === DELETED_MEMBER;
}

/** A member's name as a link to their profile; a deleted account's as plain "deleted member". */
export function memberLink(username: string | null): SafeHtml {
  return isDeletedMember(username)
    ? html`<span class="deleted-member">${DELETED_MEMBER}</span>`
    : html`<a class="member" href="${userPath(username)}">${username}</a>`;
}
