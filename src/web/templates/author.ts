import { html, type SafeHtml } from '../../markup/html.js';
import type { AuthorProfile } from '../../store/authors.js';
import type { Paper } from '../../store/papers.js';
import { renderTexCached } from '../latex.js';
import type { Visitor } from '../visitor.js';
import { authorPath, followPath } from './author-links.js';
import { katexHead } from './katex.js';
import { layout } from './layout.js';
import { paperCard } from './paper-card.js';
import { voteScript } from './vote-button.js';

export interface AuthorPageView {
  profile: AuthorProfile;
  papers: Paper[];
  visitor: Visitor;
  following: boolean;
  /** The page's own path, where its forms return to. */
  path: string;
}

/** The follow or unfollow button of an author page (members only; visitors get a link to log in). */
function followButton(view: AuthorPageView): SafeHtml {
  const { visitor, profile, following, path } = view;
  if (!visitor.viewer)
    return html`<a class="button" href="/login?next=${encodeURIComponent(path)}">Log in to follow</a>`;
  return html`<form method="post" action="${following ? '/follows/delete' : '/follows'}" class="follow-button">
    <input type="hidden" name="_csrf" value="${visitor.csrfToken ?? ''}">
    <input type="hidden" name="kind" value="author">
    <input type="hidden" name="target" value="${profile.name}">
    <input type="hidden" name="return_to" value="${path}">
    <button type="submit" aria-pressed="${following ? 'true' : 'false'}">${following ? 'Following' : 'Follow'}</button>
  </form>`;
}

/** /authors/{slug}: an author's papers newest first, frequent co-authors and categories, a follow button. */
export function authorPage(view: AuthorPageView): SafeHtml {
  const { profile, papers, visitor } = view;
  const body = html`<section class="feed author-page">
  <div class="feed-header">
    <div>
      <p class="eyebrow">Author</p>
      <h1>${profile.name}</h1>
      <p class="muted">${profile.paperIds.length === 1 ? '1 paper' : `${profile.paperIds.length} papers`} here, under this name (authors are grouped by name: two people with one name share this page).</p>
    </div>
    ${followButton(view)}
  </div>
  <div class="author-facts">
    ${
      profile.coauthors.length > 0
        ? html`<section aria-labelledby="coauthors-heading"><h2 id="coauthors-heading">Frequent co-authors</h2><ul>${profile.coauthors.map(
            (c) =>
              html`<li><a href="${authorPath(c.name)}">${c.name}</a> <span class="muted">(${c.papers})</span></li>`,
          )}</ul></section>`
        : ''
    }
    <section aria-labelledby="categories-heading"><h2 id="categories-heading">Categories</h2><ul>${profile.categories.map(
      (c) =>
        html`<li><a href="${followPath({ kind: 'category', label: c.category })}">${c.category}</a> <span class="muted">(${c.papers})</span></li>`,
    )}</ul></section>
  </div>
  <div class="paper-list">${papers.map((paper, i) => paperCard(paper, { rank: i + 1, visitor, returnTo: view.path }))}</div>
</section>`;
  return layout({
    title: profile.name,
    body,
    viewer: visitor.viewer,
    csrfToken: visitor.csrfToken,
    head: [papers.some((p) => renderTexCached(p.title).hasMath) ? katexHead() : '', voteScript(visitor)],
  });
}
