import type { ModerationEntry } from '../../store/moderation.js';
import type { PendingCodeLink } from '../../store/code-link-proposals.js';
import { memberLink } from './member-link.js';
import { html, type SafeHtml } from '../../markup/html.js';
import type { Viewer } from '../../http/auth.js';
import { paperPath } from '../../markup/urls.js';

const ACTION_LABELS: Record<ModerationEntry['action'], string> = {
  hide_paper: 'hid paper',
  unhide_paper: 'restored paper',
  hide_comment: 'hid comment',
  unhide_comment: 'restored comment',
  ban_user: 'banned',
  unban_user: 'unbanned',
  set_role: 'changed the role of',
  discount_votes: 'stopped counting the votes of',
  count_votes: 'counted again the votes of',
  approve_code_link: 'approved a code link for',
  reject_code_link: 'rejected a code link for',
};

function target(entry: ModerationEntry): SafeHtml | string {
  if (entry.targetType === 'paper') return html`<a href="${paperPath(entry.targetId)}">${entry.targetId}</a>`;
  if (entry.targetType === 'comment') return html`#${entry.targetId}`;
  return entry.targetId;
}

function moderatorForms(viewer: Viewer, csrfToken: string): SafeHtml {
  const csrf = html`<input type="hidden" name="_csrf" value="${csrfToken}">`;
  return html`<section class="moderator-tools">
    <h2>Moderate</h2>
    <form method="post" action="/moderation/papers" class="inline-form">${csrf}
      <label>Paper id <input name="paper" required placeholder="2501.12345"></label>
      <label>Reason <input name="reason" maxlength="500"></label>
      <button name="action" value="hide">Hide paper</button> <button name="action" value="unhide">Unhide paper</button>
    </form>
    <form method="post" action="/moderation/users" class="inline-form">${csrf}
      <label>Username <input name="username" required></label>
      <label>Reason <input name="reason" maxlength="500"></label>
      <button name="action" value="ban">Ban</button> <button name="action" value="unban">Unban</button>
      ${
        viewer.role === 'admin'
          ? html`<select name="role" aria-label="Role"><option>member</option><option>moderator</option><option>admin</option></select>
          <button name="action" value="role">Set role</button>`
          : ''
      }
    </form>
  </section>`;
}

/** Code links members proposed, each to approve or reject. */
function codeLinkQueue(pending: PendingCodeLink[], csrfToken: string): SafeHtml {
  if (pending.length === 0) return html``;
  return html`<section class="code-link-queue">
    <h2>Proposed code links</h2>
    <ul>${pending.map(
      (
        p,
      ) => html`<li><a href="${paperPath(p.paperId)}">${p.paperId}</a>: <a href="${p.url}" rel="nofollow noopener">${p.url}</a> <span class="muted">by ${memberLink(p.proposedBy)}</span>
      <form method="post" action="/moderation/code-links/${String(p.id)}" class="inline-form">
        <input type="hidden" name="_csrf" value="${csrfToken}">
        <label>Reason <input name="reason" maxlength="500"></label>
        <button name="action" value="approve">Approve</button> <button name="action" value="reject">Reject</button>
      </form></li>`,
    )}</ul>
  </section>`;
}

/** The public, append-only record of every moderation action; moderators also get the tools. */
export function moderationPage(options: {
  entries: ModerationEntry[];
  pendingCodeLinks: PendingCodeLink[];
  viewer: Viewer | null;
  csrfToken: string;
}): SafeHtml {
  const { viewer } = options;
  return html`<section>
  <h1>Moderation log</h1>
  ${viewer && viewer.role !== 'member' ? [moderatorForms(viewer, options.csrfToken), codeLinkQueue(options.pendingCodeLinks, options.csrfToken)] : ''}
  <p class="muted">Every moderation action is recorded here and can never be edited or removed.</p>
  ${
    options.entries.length === 0
      ? html`<p>Nothing has been moderated yet.</p>`
      : html`<table class="moderation-log"><thead><tr><th>When (UTC)</th><th>Moderator</th><th>Action</th><th>Target</th><th>Reason</th></tr></thead><tbody>
      ${options.entries.map(
        (e) => html`<tr><td><time datetime="${e.createdAt}">${e.createdAt.slice(0, 16).replace('T', ' ')}</time></td>
        <td>${memberLink(e.moderator)}</td><td>${ACTION_LABELS[e.action]}</td><td>${target(e)}</td><td>${e.reason}</td></tr>`,
      )}
    </tbody></table>`
  }
</section>`;
}
