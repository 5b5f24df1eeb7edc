import { isArxivId } from '../ingest/normalize.js';
import type { Paper } from '../store/papers.js';
import { html } from '../markup/html.js';
import { arxivAbsUrl, paperPath } from '../markup/urls.js';
import { feedDescription, feedPath, feedTitle, listPagePath, type FeedParams } from './params.js';
import { entryUpdatedAt } from './version.js';
import { xml, type XmlMarkup } from './xml.js';

/** One paper as both feed formats show it. */
export interface FeedItem {
  /** The paper's key (arXiv id without version): the RSS guid. */
  id: string;
  title: string;
  /** Our paper page. */
  url: string;
  arxivUrl: string | null;
  authors: string[];
  categories: string[];
  abstract: string;
  upvotes: number;
  numComments: number;
  /** 'YYYY-MM-DD': the day it was featured, or its publication day when it never was. */
  date: string;
  /** ISO timestamp of its last change, never before `date`. */
  updated: string;
}

export interface FeedDocument {
  title: string;
  description: string;
  /** The HTML page this feed follows. */
  pageUrl: string;
  /** Absolute URL of this feed in RSS and in Atom. */
  rssUrl: string;
  atomUrl: string;
  /** ISO timestamp: lastBuildDate / updated. */
  updated: string;
  items: FeedItem[];
}

const ARXIV_CATEGORY_SCHEME = 'https://arxiv.org/archive/';
const SITE_NAME = 'dailypapers';

function startOfDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toISOString();
}

function feedItem(paper: Paper, baseUrl: string): FeedItem {
  const date = paper.featuredOn ?? paper.publishedOn ?? paper.createdAt.slice(0, 10);
  return {
    id: paper.id,
    title: paper.title,
    url: baseUrl + paperPath(paper.id),
    arxivUrl: isArxivId(paper.id) ? arxivAbsUrl(paper.id) : null,
    authors: paper.authors.map((a) => a.name),
    categories: paper.categories,
    abstract: paper.abstract,
    upvotes: paper.upvotes,
    numComments: paper.numComments,
    date,
    updated: new Date(
      entryUpdatedAt({ modified_at: paper.modifiedAt, featured_on: paper.featuredOn, published_on: paper.publishedOn }),
    ).toISOString(),
  };
}

/**
 * The document for a list of papers. `updated` is the latest change among them; an empty feed
 * says it was updated at the start of the current day.
 */
export function feedDocument(
  params: FeedParams,
  papers: Paper[],
  baseUrl: string,
  updated: Date | null,
  now = new Date(),
): FeedDocument {
  const head = {
    title: feedTitle(params),
    description: feedDescription(params),
    pagePath: listPagePath(params),
    rssPath: feedPath('rss', params),
    atomPath: feedPath('atom', params),
  };
  return listFeedDocument(head, papers, baseUrl, updated, now);
}

/** What a feed says about itself: its title and description, and the paths of its page and of itself. */
export interface FeedHead {
  title: string;
  description: string;
  pagePath: string;
  rssPath: string;
  atomPath: string;
}

/** The document for any list of papers with a page of its own (a search, a collection). */
export function listFeedDocument(
  head: FeedHead,
  papers: Paper[],
  baseUrl: string,
  updated: Date | null,
  now = new Date(),
): FeedDocument {
  return {
    title: `${head.title} · ${SITE_NAME}`,
    description: head.description,
    pageUrl: baseUrl + head.pagePath,
    rssUrl: baseUrl + head.rssPath,
    atomUrl: baseUrl + head.atomPath,
    updated: (updated ?? new Date(startOfDay(now.toISOString().slice(0, 10)))).toISOString(),
    items: papers.map((paper) => feedItem(paper, baseUrl)),
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The item body for readers that show HTML: the abstract (LaTeX left as text), then who, counts and links. */
function itemHtml(item: FeedItem): string {
  return html`<p>${item.abstract}</p>
<p>${item.authors.join(', ')}</p>
<p>▲ ${count(item.upvotes, 'upvote')} · ${count(item.numComments, 'comment')} · ${item.categories.join(', ')}${
    item.arxivUrl ? html` · <a href="${item.arxivUrl}">arXiv</a>` : ''
  }</p>`.value;
}

function rssItem(item: FeedItem): XmlMarkup {
  return xml`<item>
<title>${item.title}</title>
<link>${item.url}</link>
<guid isPermaLink="false">${item.id}</guid>
<pubDate>${new Date(startOfDay(item.date)).toUTCString()}</pubDate>
${item.authors.map((name) => xml`<dc:creator>${name}</dc:creator>`)}
${item.categories.map((category) => xml`<category domain="${ARXIV_CATEGORY_SCHEME}">${category}</category>`)}
<description>${itemHtml(item)}</description>
<comments>${item.url}#comments</comments>
<slash:comments>${item.numComments}</slash:comments>
</item>
`;
}

/** RSS 2.0, with Dublin Core creators, Slash comment counts and an atom:link to itself. */
export function renderRss(feed: FeedDocument): string {
  return xml`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel>
<title>${feed.title}</title>
<link>${feed.pageUrl}</link>
<description>${feed.description}</description>
<atom:link href="${feed.rssUrl}" rel="self" type="application/rss+xml"/>
<language>en</language>
<lastBuildDate>${new Date(feed.updated).toUTCString()}</lastBuildDate>
<generator>${SITE_NAME}</generator>
<docs>https://www.rssboard.org/rss-specification</docs>
${feed.items.map(rssItem)}</channel>
</rss>
`.markup;
}

/** An Atom entry id must be an absolute IRI: arXiv papers use their arXiv address, others their `source:id`. */
function atomEntryId(item: FeedItem): string {
  return item.arxivUrl ?? item.id;
}

function atomEntry(item: FeedItem): XmlMarkup {
  return xml`<entry>
<id>${atomEntryId(item)}</id>
<title type="text">${item.title}</title>
<link rel="alternate" type="text/html" href="${item.url}"/>
${item.arxivUrl ? xml`<link rel="related" type="text/html" href="${item.arxivUrl}"/>` : null}
<published>${startOfDay(item.date)}</published>
<updated>${item.updated}</updated>
${item.authors.map((name) => xml`<author><name>${name}</name></author>`)}
${item.categories.map((category) => xml`<category term="${category}" scheme="${ARXIV_CATEGORY_SCHEME}"/>`)}
<summary type="text">${item.abstract}</summary>
<content type="html">${itemHtml(item)}</content>
</entry>
`;
}

/** Atom 1.0. The feed-level author covers entries that list none, as the format requires. */
export function renderAtom(feed: FeedDocument): string {
  return xml`<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>${feed.atomUrl}</id>
<title type="text">${feed.title}</title>
<subtitle type="text">${feed.description}</subtitle>
<updated>${feed.updated}</updated>
<link rel="self" type="application/atom+xml" href="${feed.atomUrl}"/>
<link rel="alternate" type="text/html" href="${feed.pageUrl}"/>
<author><name>${SITE_NAME}</name></author>
<generator>${SITE_NAME}</generator>
${feed.items.map(atomEntry)}</feed>
`.markup;
}
