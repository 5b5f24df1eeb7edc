import { z } from 'zod';
import { isArxivId } from '../ingest/normalize.js';
import type { Paper } from '../store/papers.js';
import { featuredAt } from './paper-json.js';
import { paperIdParam } from '../http/params.js';
import { findVisiblePaper } from './papers.js';
import { defineApiRoute, answers } from './route.js';

/**
 * Text from the database, made inert in Markdown: no raw HTML, autolinks or link syntax, and no
 * block syntax at the start of a paragraph. LaTeX ($x^2$, \emph{…}) passes through untouched.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[<>[\]]/g, (c) => `\\${c}`)
    .replace(/^[#>+=*-]/, (c) => `\\${c}`)
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** Percent-encodes an id for a URL path, keeping the slash of old-style ids. */
function urlPath(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

function paperLinks(paper: Paper, baseUrl: string): string[] {
  const links: string[] = [];
  if (isArxivId(paper.id)) {
    links.push(
      `[arXiv](<https://arxiv.org/abs/${urlPath(paper.id)}>)`,
      `[PDF](<https://arxiv.org/pdf/${urlPath(paper.id)}>)`,
    );
  }
  const doi = paper.doi ?? (paper.id.startsWith('doi:') ? paper.id.slice(4) : null);
  if (doi) links.push(`[DOI](<https://doi.org/${urlPath(doi)}>)`);
  if (paper.githubUrl) links.push(`[Code](<${paper.githubUrl}>)`);
  if (paper.projectUrl) links.push(`[Project page](<${paper.projectUrl}>)`);
  links.push(`[Discussion](<${baseUrl}/papers/${urlPath(paper.id)}>)`);
  return links;
}

/** The paper as a Markdown document: title, authors, dates, links, abstract. */
export function paperMarkdown(paper: Paper, baseUrl: string): string {
  const facts = [
    paper.publishedOn && `**Published:** ${paper.publishedOn}`,
    paper.categories.length > 0 && `**Categories:** ${markdownText(paper.categories.join(', '))}`,
    featuredAt(paper) && `**Featured:** ${paper.featuredOn}`,
    `**Upvotes:** ${paper.upvotes}`,
    `**Comments:** ${paper.numComments}`,
  ].filter(Boolean);
  const paragraphs = paper.abstract
    .split(/\n\s*\n/)
    .map(markdownText)
    .filter(Boolean);
  const blocks = [
    `# ${markdownText(paper.title)}`,
    `**Authors:** ${markdownText(paper.authors.map((a) => a.name).join(', ')) || 'unknown'}`,
    facts.join(' · '),
    `**Links:** ${paperLinks(paper, baseUrl).join(' · ')}`,
    '## Abstract',
    ...paragraphs,
  ];
  return `${blocks.join('\n\n')}\n`;
}

export const paperMarkdownRoute = defineApiRoute({
  method: 'GET',
  operationId: 'getPaperMarkdown',
  path: '/papers/{id}.md',
  // Two segments for old-style ids (hep-th/9901001.md); other slashes must be sent as %2F.
  urls: ['/papers/:id.md', '/papers/:archive/:number.md'],
  readParams: (raw) => ({ id: raw.archive !== undefined ? `${raw.archive}/${raw.number}` : raw.id }),
  summary: 'One paper as Markdown',
  description:
    'Title, authors, dates, links and abstract, for reading tools and language models. In an id with more than one slash, send the slashes as %2F.',
  params: z.object({ id: paperIdParam }),
  responses: [
    answers.ok('The paper as Markdown', z.string(), 'text/markdown'),
    answers.badRequest('The id is not an arXiv id or source:id'),
    answers.notFound('No such paper here'),
  ],
  cacheSeconds: 300,
  shared: true,
  async handle({ params }, { db, config }) {
    return paperMarkdown(await findVisiblePaper(db, params.id), config.BASE_URL);
  },
});
