import { html, type SafeHtml } from '../../markup/html.js';
import { collectionPath, paperPath } from '../../markup/urls.js';
import type { CollectionWithCount } from '../../store/collections.js';
import type { Comment } from '../../store/comments.js';
import type { Paper } from '../../store/papers.js';
import type { User } from '../../store/users.js';
import { renderTexCached } from '../latex.js';
import { dayTime } from './dates.js';

/** /users/{username}: what anyone may see of a member. */
export function profilePage(user: User, submissions: Paper[], collections: CollectionWithCount[]): SafeHtml {
  return html`<section class="profile">
  <h1>${user.username}</h1>
  <p class="muted">Member since ${dayTime(user.createdAt.slice(0, 10))}${user.role === 'member' ? '' : ` · ${user.role}`}</p>
  <h2>Submissions</h2>
  ${
    submissions.length === 0
      ? html`<p class="empty">No submissions yet.</p>`
      : html`<ol class="submissions">${submissions.map(
          (p) => html`<li><a href="${paperPath(p.id)}">${renderTexCached(p.title).html}</a>
        <span class="muted">${p.featuredOn ? dayTime(p.featuredOn) : ''} · ▲ ${p.upvotes}</span></li>`,
        )}</ol>`
  }
  <h2>Public collections</h2>
  ${
    collections.length === 0
      ? html`<p class="empty">No public collections.</p>`
      : html`<ul class="public-collections">${collections.map(
          (c) =>
            html`<li><a href="${collectionPath(c.id)}">${c.name}</a> <span class="muted">(${c.papers})</span></li>`,
        )}</ul>`
  }
</section>`;
}

/** /account/activity: the member's own votes and comments. */
export function activityPage(
  votes: { paperId: string; title: string; createdAt: string }[],
  comments: Comment[],
  shown: number,
): SafeHtml {
  return html`<section class="activity">
  <h1>Your activity</h1>
  <p class="muted">Your latest ${shown} upvotes and comments; <a href="/account/export.json">export all your data</a> as JSON.</p>
  <h2>Upvotes</h2>
  ${
    votes.length === 0
      ? html`<p class="empty">No upvotes yet.</p>`
      : html`<ul class="vote-history">${votes.map(
          (v) =>
            html`<li><a href="${paperPath(v.paperId)}">${renderTexCached(v.title).html}</a> <span class="muted">${dayTime(v.createdAt.slice(0, 10))}</span></li>`,
        )}</ul>`
  }
  <h2>Comments</h2>
  ${
    comments.length === 0
      ? html`<p class="empty">No comments yet.</p>`
      : html`<ul class="comment-history">${comments.map(
          (
            c,
          ) => html`<li><a href="${paperPath(c.paperId)}#comment-${c.id}">${c.paperId}</a> <span class="muted">${dayTime(c.createdAt.slice(0, 10))}${c.hidden ? ' · hidden by moderators' : ''}</span>
        <blockquote>${c.body.length > 300 ? `${c.body.slice(0, 300)}…` : c.body}</blockquote></li>`,
        )}</ul>`
  }
</section>`;
}
