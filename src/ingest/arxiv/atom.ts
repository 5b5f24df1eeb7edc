import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { PaperRecord, PaperVersion } from '../../store/papers.js';
import { collapseWhitespace, dayOf, firstDoi, optionalText, orderCategories, parsePaperId } from '../normalize.js';
import { ArxivClient, clientOptionsFrom, type ArxivResponse } from './client.js';
import {
  ArxivFormatError,
  attributeOf,
  authorFrom,
  childOf,
  listOf,
  parseXmlDocument,
  textOf,
  type XmlNode,
} from './xml.js';

/** arXiv answered with an error feed (a single entry titled "Error"), e.g. "incorrect id format for abc". */
export class ArxivApiError extends Error {
  constructor(
    readonly reason: string,
    readonly url: string,
  ) {
    super(`arXiv API error: ${reason} (${url})`);
    this.name = 'ArxivApiError';
  }
}

export interface AtomFeed {
  records: PaperRecord[];
  totalResults: number;
  startIndex: number;
}

/** Reads an export-API Atom feed (200, or 400 carrying an error feed); throws ArxivApiError for an error feed. */
export function parseAtomFeed(response: ArxivResponse): AtomFeed {
  const { url } = response;
  if (response.status !== 200 && response.status !== 400) {
    throw new ArxivFormatError(`expected HTTP 200 from the arXiv API, got ${response.status}`, url);
  }
  const feed = parseXmlDocument(response.body, 'feed', url);
  const entries = listOf(feed.entry);
  const errorEntry = entries.find((e) => textOf(childOf(e, 'id'))?.includes('/api/errors'));
  if (errorEntry)
    throw new ArxivApiError(collapseWhitespace(textOf(childOf(errorEntry, 'summary')) ?? 'unknown error'), url);
  if (response.status !== 200)
    throw new ArxivFormatError(`arXiv API answered ${response.status} without an error entry`, url);
  return {
    records: entries.flatMap((entry) => recordFromAtomEntry(entry) ?? []),
    totalResults: Number(textOf(feed.totalResults) ?? 0) || 0,
    startIndex: Number(textOf(feed.startIndex) ?? 0) || 0,
  };
}

/** One Atom `<entry>` as a paper; null when it has no arXiv id or no title. */
export function recordFromAtomEntry(entry: unknown): PaperRecord | null {
  const e = entry as XmlNode;
  const parsed = parsePaperId(textOf(e.id) ?? '');
  const title = collapseWhitespace(textOf(e.title) ?? '');
  if (!parsed || !title) return null;
  const version = parsed.version ?? 1;
  const publishedOn = dayOf(textOf(e.published));
  // <updated> is the date of the version the entry describes, the latest one.
  const revisedOn = dayOf(textOf(e.updated)) ?? publishedOn;
  const versions: PaperVersion[] = [{ version: 1, date: publishedOn }];
  if (version > 1) versions.push({ version, date: revisedOn });
  const doiLink = listOf(e.link).find((l) => attributeOf(l, 'title') === 'doi');
  return {
    id: parsed.id,
    title,
    abstract: collapseWhitespace(textOf(e.summary) ?? ''),
    authors: listOf(e.author).flatMap((author) => authorFrom(optionalText(textOf(childOf(author, 'name'))), author)),
    categories: orderCategories(
      listOf(e.category).map((c) => attributeOf(c, 'term') ?? ''),
      attributeOf(e.primary_category, 'term'),
    ),
    publishedOn,
    revisedOn,
    version,
    versions,
    doi: firstDoi(textOf(e.doi) ?? attributeOf(doiLink, 'href')),
    journalRef: optionalText(textOf(e.journal_ref)),
    comments: optionalText(textOf(e.comment)),
    license: null,
  };
}

/** The export API answers at most this many ids per request without paging. */
const IDS_PER_REQUEST = 100;

export interface ArxivLookup {
  /** Papers found, in the order their ids were asked for. */
  found: PaperRecord[];
  /** Ids (as given) that arXiv does not know or that are not arXiv ids at all. */
  notFound: string[];
}

export interface ArxivApiDeps {
  config: Config;
  logger: Logger;
  signal?: AbortSignal;
}

function apiUrl(config: Config, params: Record<string, string>): string {
  const url = new URL(config.ARXIV_API_URL);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * Looks papers up by arXiv id (any form parsePaperId accepts, with or without version). An id
 * arXiv does not know, or text that is no arXiv id, lands in `notFound` rather than failing the
 * whole lookup; network and upstream failures throw.
 */
export async function fetchArxivPapers(ids: string[], deps: ArxivApiDeps): Promise<ArxivLookup> {
  const client = new ArxivClient(clientOptionsFrom(deps.config, deps.logger, deps.signal));
  const wanted = ids.map((raw) => ({ raw, parsed: parsePaperId(raw) }));
  const queryable = [
    ...new Set(
      wanted.flatMap(({ parsed }) =>
        parsed && !parsed.id.includes(':') ? [`${parsed.id}${parsed.version ? `v${parsed.version}` : ''}`] : [],
      ),
    ),
  ];
  const byId = new Map<string, PaperRecord>();
  for (let i = 0; i < queryable.length; i += IDS_PER_REQUEST) {
    const batch = queryable.slice(i, i + IDS_PER_REQUEST);
    const url = apiUrl(deps.config, { id_list: batch.join(','), start: '0', max_results: String(batch.length) });
    const feed = parseAtomFeed(await client.get(url));
    for (const record of feed.records) byId.set(record.id, record);
  }
  const found: PaperRecord[] = [];
  const notFound: string[] = [];
  for (const { raw, parsed } of wanted) {
    const record = parsed ? byId.get(parsed.id) : undefined;
    if (record) {
      if (!found.includes(record)) found.push(record);
    } else notFound.push(raw);
  }
  return { found, notFound };
}

export interface ArxivSearch {
  query: string;
  start?: number;
  maxResults?: number;
  sortBy?: 'relevance' | 'lastUpdatedDate' | 'submittedDate';
}

/** Runs an export-API search (`ti:transformer AND cat:cs.CL`) and returns one page of results. */
export async function searchArxiv(search: ArxivSearch, deps: ArxivApiDeps): Promise<AtomFeed> {
  const client = new ArxivClient(clientOptionsFrom(deps.config, deps.logger, deps.signal));
  const url = apiUrl(deps.config, {
    search_query: search.query,
    start: String(search.start ?? 0),
    max_results: String(search.maxResults ?? 50),
    sortBy: search.sortBy ?? 'relevance',
  });
  return parseAtomFeed(await client.get(url));
}
