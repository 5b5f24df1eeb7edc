import { isArxivId } from '../../ingest/normalize.js';
import type { Paper } from '../../store/papers.js';
import { bibtex } from '../../library/bibtex.js';
import { html, type HtmlValue, type SafeHtml } from '../../markup/html.js';
import { renderTexCached } from '../latex.js';
import { arxivAbsUrl, arxivPdfUrl, doiOf, isHttpUrl, paperPath, periodPath } from '../../markup/urls.js';
import { dayTime } from './dates.js';
import { katexHead } from './katex.js';
import { layout } from './layout.js';
import { categoryTags, submitter, thumbnailPath } from './paper-card.js';
import { CODE_LINK_LABELS, compactCount, keywordLinks, summaryTeaser } from './paper-glance.js';
import { codeLinkOf } from '../../store/paper-text.js';
import { commentsSection, type CommentDraft } from './comments.js';
import { saveButton } from './save-button.js';
import { voteButton, voteScript } from './vote-button.js';
import type { CommentNode } from '../../community/thread.js';
import type { Visitor } from '../visitor.js';
import { authorPath } from './author-links.js';

function authorsLine(paper: Paper): SafeHtml {
  return html`<ul class="author-list">${paper.authors.map(
    (a) =>
      html`<li><a href="${authorPath(a.name)}">${a.name}</a>${a.affiliation ? html` <span class="affiliation">(${a.affiliation})</span>` : ''}</li>`,
  )}</ul>`;
}

function linkButtons(paper: Paper): SafeHtml {
  const doi = doiOf(paper);
  const external = (href: string, label: string, extraClass = '') =>
    html`<a class="button${extraClass}" href="${href}" rel="nofollow noopener">${label}</a>`;
  return html`<div class="paper-links">
    ${isArxivId(paper.id) ? [external(arxivAbsUrl(paper.id), 'arXiv page'), external(arxivPdfUrl(paper.id), 'PDF')] : ''}
    ${isHttpUrl(paper.githubUrl) ? external(paper.githubUrl, paper.githubStars === null ? 'GitHub' : `GitHub ★ ${compactCount(paper.githubStars)}`, ' github') : ''}
    ${paper.codeLinks.map((link) => external(link.url, CODE_LINK_LABELS[link.kind], ' code-link'))}
    ${isHttpUrl(paper.projectUrl) && !codeLinkOf(paper.projectUrl) ? external(paper.projectUrl, 'Project page') : ''}
    ${doi ? external(`https://doi.org/${doi}`, 'DOI') : ''}
  </div>`;
}

function details(paper: Paper): SafeHtml {
  const rows: [string, HtmlValue][] = [];
  if (paper.publishedOn) rows.push(['Published', dayTime(paper.publishedOn)]);
  if (paper.revisedOn && (paper.version > 1 || paper.revisedOn !== paper.publishedOn)) {
    rows.push(['Latest version', html`v${paper.version}, ${dayTime(paper.revisedOn)}`]);
  }
  if (paper.featuredOn)
    rows.push(['Featured', html`<a href="${periodPath('day', paper.featuredOn)}">${dayTime(paper.featuredOn)}</a>`]);
  if (paper.categories.length > 0) rows.push(['Categories', categoryTags(paper.categories)]);
  if (paper.journalRef) rows.push(['Journal reference', paper.journalRef]);
  if (paper.doi) rows.push(['DOI', paper.doi]);
  if (paper.comments) rows.push(['Comments', paper.comments]);
  return html`<dl class="paper-details">${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>`;
}

function citation(paper: Paper): SafeHtml {
  return html`<section class="citation" aria-labelledby="cite-heading">
  <div class="section-header">
    <h2 id="cite-heading">Cite</h2>
    <button type="button" class="copy-button" data-copy="bibtex" hidden>Copy BibTeX</button>
  </div>
  <pre class="bibtex" id="bibtex" tabindex="0">${bibtex(paper)}</pre>
</section>`;
}

/** The papers nearest in meaning, as links; a note while none are known. */
function similarSection(similar: Paper[]): SafeHtml {
  return html`<section class="similar-papers" aria-labelledby="similar-heading">
  <h2 id="similar-heading">Similar papers</h2>
  ${
    similar.length === 0
      ? html`<p class="empty">None yet: similar papers appear once papers have been embedded for semantic search.</p>`
      : html`<ol>${similar.map((p) => html`<li><a href="${paperPath(p.id)}">${renderTexCached(p.title).html}</a> <span class="eyebrow">${p.id}${p.publishedOn ? html` · ${dayTime(p.publishedOn)}` : ''}</span></li>`)}</ol>`
  }
</section>`;
}

/** The form that proposes a code link (members; it waits for a moderator), or the way to log in for it. */
function codeLinkForm(paper: Paper, visitor: Visitor): SafeHtml {
  const path = paperPath(paper.id);
  return html`<details class="code-link-proposal" id="code-links">
    <summary>Know where its code, model or data is?</summary>
    ${
      visitor.viewer && visitor.csrfToken
        ? html`<form method="post" action="/code-links" class="inline-form">
      <input type="hidden" name="_csrf" value="${visitor.csrfToken}">
      <input type="hidden" name="paper" value="${paper.id}">
      <label>Link <input type="url" name="url" required maxlength="300" placeholder="https://github.com/owner/name"></label>
      <button type="submit">Propose</button>
      <p class="muted">A GitHub or GitLab repository, or a Hugging Face model, dataset or space; shown once a moderator approves it.</p>
    </form>`
        : html`<p><a href="/login?next=${encodeURIComponent(`${path}#code-links`)}">Log in</a> to propose a code link.</p>`
    }
  </details>`;
}

/** The page of one paper, with its vote button, discussion and similar papers. */
export function paperPage(
  paper: Paper,
  visitor: Visitor,
  threads: CommentNode[],
  options: {
    similar?: Paper[];
    /** A refused comment, shown in the form again. */
    draft?: CommentDraft;
    /** The site's public address, for link previews. */
    siteUrl: string;
  },
): SafeHtml {
  const { similar = [], draft } = options;
  const title = renderTexCached(paper.title);
  const abstract = renderTexCached(paper.abstract, { links: true });
  const body = html`<article class="paper-page">
  ${
    isArxivId(paper.id)
      ? html`<a class="paper-thumbnail" href="${arxivPdfUrl(paper.id)}" rel="nofollow noopener"><img src="${thumbnailPath(paper.id)}" alt="First page (opens the PDF)" width="640" height="400"></a>`
      : html`<img class="paper-thumbnail" src="${thumbnailPath(paper.id)}" alt="" width="640" height="400">`
  }
  <p class="eyebrow">${paper.id}${paper.featuredOn ? html` · featured on <a href="${periodPath('day', paper.featuredOn)}">${dayTime(paper.featuredOn)}</a>` : ''}</p>
  ${submitter(paper.submittedBy)}
  <div class="paper-heading">
    ${voteButton(paper, { ...visitor, voted: visitor.votedIds.has(paper.id), returnTo: paperPath(paper.id) })}
    <h1>${title.html}</h1>
  </div>
  ${authorsLine(paper)}
  ${linkButtons(paper)}
  ${codeLinkForm(paper, visitor)}
  ${saveButton(paper, visitor, paperPath(paper.id))}
  ${summaryTeaser(paper)}
  ${keywordLinks(paper)}
  <section class="abstract" aria-labelledby="abstract-heading">
    <h2 id="abstract-heading">Abstract</h2>
    <p>${abstract.html}</p>
  </section>
  ${details(paper)}
  ${citation(paper)}
  ${similarSection(similar)}
  ${commentsSection({
    paperId: paper.id,
    threads,
    count: paper.numComments,
    viewer: visitor.viewer,
    csrfToken: visitor.csrfToken,
    draft,
  })}
</article>`;
  const site = options.siteUrl.replace(/\/+$/, '');
  return layout({
    title: paper.title,
    description: paper.abstract.slice(0, 300),
    preview: { type: 'article', url: site + paperPath(paper.id), image: site + thumbnailPath(paper.id) },
    body,
    viewer: visitor.viewer,
    csrfToken: visitor.csrfToken,
    // Comments may hold math too, so any discussion brings the KaTeX stylesheet.
    head: [
      title.hasMath || abstract.hasMath || threads.length > 0 ? katexHead() : '',
      html`<script src="/static/copy.js" defer></script>`,
      voteScript(visitor),
    ],
  });
}
