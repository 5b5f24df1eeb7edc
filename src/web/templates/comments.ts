import type { CommentNode } from '../../community/thread.js';
import type { Comment } from '../../store/comments.js';
import { memberLink } from './member-link.js';
import { html, trusted, type SafeHtml } from '../../markup/html.js';
import type { Viewer } from '../../http/auth.js';
import { paperPath } from '../../markup/urls.js';

export interface CommentsOptions {
  paperId: string;
  threads: CommentNode[];
  count: number;
  viewer: Viewer | null;
  csrfToken: string | null;
  /** A comment or reply that was refused: its form shows the text again, with the reason. */
  draft?: CommentDraft | undefined;
}

export interface CommentDraft {
  parentId: number | null;
  body: string;
  error: string;
}

/** Replies deeper than this are drawn at this depth, so long threads stay readable on a phone. */
const MAX_INDENT = 6;

const csrfField = (token: string | null) => html`<input type="hidden" name="_csrf" value="${token ?? ''}">`;

function commentForm(options: CommentsOptions, parentId: number | null): SafeHtml {
  const draft = options.draft?.parentId === parentId ? options.draft : undefined;
  return html`<form method="post" action="/comments" class="comment-form">
    ${draft ? html`<p class="error" role="alert">${draft.error}</p>` : ''}
    ${csrfField(options.csrfToken)}
    <input type="hidden" name="paper" value="${options.paperId}">
    ${parentId === null ? '' : html`<input type="hidden" name="parent" value="${parentId}">`}
    <textarea name="body" rows="${parentId === null ? 4 : 3}" maxlength="10000" required
      placeholder="${parentId === null ? 'Add a comment. Markdown and $LaTeX$ math work.' : 'Write a reply'}"
      aria-label="${parentId === null ? 'Comment' : 'Reply'}">${draft?.body ?? ''}</textarea>
    <button type="submit" class="primary">${parentId === null ? 'Comment' : 'Reply'}</button>
  </form>`;
}

/** The reply form behind a "Reply" toggle, open when it holds a refused reply. */
function replyForm(options: CommentsOptions, commentId: number): SafeHtml {
  const form = commentForm(options, commentId);
  return options.draft?.parentId === commentId
    ? html`<details class="reply" open><summary>Reply</summary>${form}</details>`
    : html`<details class="reply"><summary>Reply</summary>${form}</details>`;
}

function moderationButton(comment: Comment, csrfToken: string | null): SafeHtml {
  return html`<form method="post" action="/moderation/comments/${comment.id}" class="inline">
    ${csrfField(csrfToken)}<input type="hidden" name="action" value="${comment.hidden ? 'unhide' : 'hide'}">
    <button class="link">${comment.hidden ? 'Unhide' : 'Hide'}</button></form>`;
}

function commentBody(comment: Comment, viewer: Viewer | null): SafeHtml {
  if (comment.deletedAt) return html`<p class="muted">[deleted]</p>`;
  const moderator = viewer !== null && viewer.role !== 'member';
  if (comment.hidden && !moderator) return html`<p class="muted">[hidden by a moderator]</p>`;
  return html`${comment.hidden ? html`<p class="muted">Hidden by a moderator; only moderators see this.</p>` : ''}
    <div class="comment-body">${trusted(comment.html)}</div>`;
}

function commentItem(node: CommentNode, options: CommentsOptions, depth: number): SafeHtml {
  const { comment } = node;
  const { viewer } = options;
  const open = !comment.deletedAt && !comment.hidden;
  const own = viewer?.id === comment.author.id;
  const moderator = viewer !== null && viewer.role !== 'member';
  return html`<article class="comment${comment.hidden ? ' hidden-comment' : ''}" id="comment-${comment.id}" data-comment-id="${comment.id}">
    <div class="comment-meta">
      <strong class="comment-author">${comment.deletedAt ? '[deleted]' : memberLink(comment.author.username)}</strong>
      <a href="#comment-${comment.id}"><time datetime="${comment.createdAt}">${comment.createdAt.slice(0, 16).replace('T', ' ')} UTC</time></a>
      ${comment.editedAt && !comment.deletedAt ? html`<span class="muted">(edited)</span>` : ''}
    </div>
    ${commentBody(comment, viewer)}
    <div class="comment-actions">
      ${viewer && open ? replyForm(options, comment.id) : ''}
      ${
        own && open
          ? html`<a href="/comments/${comment.id}/edit">Edit</a>
        <a href="/comments/${comment.id}/delete">Delete</a>`
          : ''
      }
      ${moderator && !comment.deletedAt ? moderationButton(comment, options.csrfToken) : ''}
    </div>
    ${
      node.replies.length > 0
        ? html`<div class="${depth < MAX_INDENT ? 'replies' : 'replies flat'}">${node.replies.map((r) => commentItem(r, options, depth + 1))}</div>`
        : ''
    }
  </article>`;
}

/** Whether the comment `id` is in the threads and can take replies (so its reply form is on the page). */
function takesReplies(nodes: CommentNode[], id: number): boolean {
  return nodes.some(
    ({ comment, replies }) => (comment.id === id && !comment.deletedAt && !comment.hidden) || takesReplies(replies, id),
  );
}

/** The discussion under a paper: threads, and forms to comment and reply for members. */
export function commentsSection(sectionOptions: CommentsOptions): SafeHtml {
  const { draft } = sectionOptions;
  // A refused reply to a comment without a reply form (deleted meanwhile) comes back in the top-level form.
  const options =
    draft?.parentId && !takesReplies(sectionOptions.threads, draft.parentId)
      ? { ...sectionOptions, draft: { ...draft, parentId: null } }
      : sectionOptions;
  return html`<section class="comments" id="comments">
    <h2>Comments <span class="muted">(${options.count})</span></h2>
    ${options.viewer ? commentForm(options, null) : html`<p><a href="/login?next=${encodeURIComponent(`${paperPath(options.paperId)}#comments`)}">Log in</a> to comment.</p>`}
    ${options.threads.length > 0 ? options.threads.map((t) => commentItem(t, options, 1)) : html`<p class="muted">No comments yet.</p>`}
  </section>`;
}

export function commentEditForm(comment: Comment, csrfToken: string, error?: string): SafeHtml {
  return html`<section class="narrow">
    <h1>Edit your comment</h1>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    <form method="post" action="/comments/${comment.id}/edit" class="stacked">
      ${csrfField(csrfToken)}
      <textarea name="body" rows="8" maxlength="10000" required aria-label="Comment">${comment.body}</textarea>
      <button type="submit" class="primary">Save</button>
    </form>
    <p><a href="${paperPath(comment.paperId)}#comment-${comment.id}">Back to the paper</a></p>
  </section>`;
}

/** The confirm step before deleting a comment (a page of its own, so it works without JavaScript). */
export function commentDeleteConfirmation(comment: Comment, csrfToken: string): SafeHtml {
  return html`<section class="narrow">
    <h1>Delete your comment?</h1>
    <p>Its text goes for good; replies to it stay, under “[deleted]”.</p>
    <blockquote class="comment-body">${trusted(comment.html)}</blockquote>
    <form method="post" action="/comments/${comment.id}/delete" class="stacked">
      ${csrfField(csrfToken)}
      <button type="submit" class="primary">Delete</button>
    </form>
    <p><a href="${paperPath(comment.paperId)}#comment-${comment.id}">Keep it and go back to the paper</a></p>
  </section>`;
}
