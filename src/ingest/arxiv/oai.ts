import type { Author, PaperRecord, PaperVersion } from '../../store/papers.js';
import {
  collapseWhitespace,
  dayOf,
  firstDoi,
  joinNameParts,
  optionalText,
  orderCategories,
  parsePaperId,
} from '../normalize.js';
import type { ArxivResponse } from './client.js';
import {
  ArxivFormatError,
  attributeOf,
  authorFrom,
  childOf,
  decodeEntities,
  listOf,
  parseXmlDocument,
  textOf,
  type XmlNode,
} from './xml.js';

/** An OAI-PMH error answer (badResumptionToken, badArgument, …); noRecordsMatch is not one, it is an empty page. */
export class OaiError extends Error {
  constructor(
    readonly code: string,
    readonly problem: string,
    readonly url: string,
  ) {
    super(`OAI-PMH error ${code}: ${problem} (${url})`);
    this.name = 'OaiError';
  }
}

export interface ListRecordsQuery {
  set: string | null;
  /** Inclusive 'YYYY-MM-DD' datestamps. */
  from: string;
  until: string;
}

/** The first page of a ListRecords harvest, or the next one from a resumption token (which carries the rest). */
export function listRecordsUrl(baseUrl: string, query: ListRecordsQuery | { resumptionToken: string }): string {
  const url = new URL(baseUrl);
  url.searchParams.set('verb', 'ListRecords');
  if ('resumptionToken' in query) {
    url.searchParams.set('resumptionToken', query.resumptionToken);
    return url.toString();
  }
  url.searchParams.set('metadataPrefix', 'arXiv');
  url.searchParams.set('from', query.from);
  url.searchParams.set('until', query.until);
  if (query.set) url.searchParams.set('set', query.set);
  return url.toString();
}

/** A record as harvested: the paper, the day the repository last changed it, and whether its version number is known. */
export interface OaiRecord {
  paper: PaperRecord;
  datestamp: string;
  /** arXiv's OAI format dates the first and latest versions but does not number them; only a never-revised record is known to be v1. */
  versionKnown: boolean;
}

export interface SkippedRecord {
  identifier: string;
  reason: string;
}

export interface OaiPage {
  records: OaiRecord[];
  skipped: SkippedRecord[];
  /** Null on the last page. */
  resumptionToken: string | null;
  completeListSize: number | null;
}

/** Reads one ListRecords (or GetRecord) answer; throws ArxivFormatError for anything that is not OAI-PMH, OaiError for an OAI error. */
export function parseListRecords(response: ArxivResponse): OaiPage {
  const { url } = response;
  if (response.status !== 200)
    throw new ArxivFormatError(`expected HTTP 200 from the OAI-PMH endpoint, got ${response.status}`, url);
  const root = parseXmlDocument(response.body, 'OAI-PMH', url);
  for (const error of listOf(root.error)) {
    const code = attributeOf(error, 'code') ?? 'unknown';
    if (code === 'noRecordsMatch') return { records: [], skipped: [], resumptionToken: null, completeListSize: 0 };
    throw new OaiError(code, collapseWhitespace(textOf(error) ?? ''), url);
  }
  // GetRecord answers carry one record the same way, so they read the same.
  const list = root.ListRecords ?? root.GetRecord;
  if (typeof list !== 'object' || list === null)
    throw new ArxivFormatError('OAI-PMH answer has neither records nor an error', url);
  const page: OaiPage = { records: [], skipped: [], resumptionToken: null, completeListSize: null };
  for (const node of listOf(childOf(list, 'record'))) {
    const outcome = recordFromOai(node);
    if ('reason' in outcome) page.skipped.push(outcome);
    else page.records.push(outcome);
  }
  const token = childOf(list, 'resumptionToken');
  page.resumptionToken = optionalText(textOf(token));
  const size = attributeOf(token, 'completeListSize');
  page.completeListSize = size !== null && /^\d+$/.test(size) ? Number(size) : null;
  return page;
}

/**
 * The resumption token of a ListRecords answer read from its raw text, without parsing the whole
 * document, so the next page can be asked for while this one is parsed. The full parse has the
 * last word: a token read here that it does not confirm is not followed.
 */
export function peekResumptionToken(body: string): string | null {
  const start = body.lastIndexOf('<resumptionToken');
  if (start === -1) return null;
  const match = /^<resumptionToken\b[^>]*>([^<]*)<\/resumptionToken>/.exec(body.slice(start, start + 4096));
  return match ? optionalText(decodeEntities(match[1]!)) : null;
}

function authorsOf(metadata: unknown): Author[] {
  return listOf(childOf(childOf(metadata, 'authors'), 'author')).flatMap((author) =>
    authorFrom(
      joinNameParts(
        textOf(childOf(author, 'forenames')),
        textOf(childOf(author, 'keyname')),
        textOf(childOf(author, 'suffix')),
      ),
      author,
    ),
  );
}

/** One `<record>` of metadataPrefix=arXiv as a paper, or the reason it cannot be one. */
export function recordFromOai(node: unknown): OaiRecord | SkippedRecord {
  const header = childOf(node, 'header');
  const identifier = textOf(childOf(header, 'identifier')) ?? '(no identifier)';
  if (attributeOf(header, 'status') === 'deleted') return { identifier, reason: 'deleted upstream' };
  const metadata = childOf(childOf(node, 'metadata'), 'arXiv');
  if (typeof metadata !== 'object' || metadata === null) return { identifier, reason: 'no arXiv metadata' };
  const m = metadata as XmlNode;
  const rawId = textOf(m.id);
  if (!rawId) return { identifier, reason: 'missing id' };
  const parsed = parsePaperId(rawId);
  if (!parsed) return { identifier, reason: `malformed id ${JSON.stringify(rawId.slice(0, 80))}` };
  const title = collapseWhitespace(textOf(m.title) ?? '');
  if (!title) return { identifier: parsed.id, reason: 'missing title' };
  const created = dayOf(textOf(m.created));
  const updated = dayOf(textOf(m.updated));
  const datestamp = dayOf(textOf(childOf(header, 'datestamp'))) ?? updated ?? created;
  if (!datestamp) return { identifier: parsed.id, reason: 'no datestamp or version date' };
  const versions: PaperVersion[] = [{ version: 1, date: created }];
  return {
    datestamp,
    versionKnown: updated === null,
    paper: {
      id: parsed.id,
      title,
      abstract: collapseWhitespace(textOf(m.abstract) ?? ''),
      authors: authorsOf(m),
      categories: orderCategories((textOf(m.categories) ?? '').split(/\s+/)),
      publishedOn: created,
      revisedOn: updated ?? created,
      version: 1,
      versions,
      doi: firstDoi(textOf(m.doi)),
      journalRef: optionalText(textOf(m['journal-ref'])),
      comments: optionalText(textOf(m.comments)),
      license: optionalText(textOf(m.license)),
    },
  };
}

export interface StoredVersion {
  version: number;
  revisedOn: string | null;
}

/**
 * Numbers the latest version of a revised record from what is stored: the same latest-version
 * date keeps the stored number, a later one is the next number (at least 2). Returns null for a
 * snapshot older than the stored one, which must not overwrite it.
 */
export function resolveVersion(record: OaiRecord, stored: StoredVersion | undefined): PaperRecord | null {
  const { paper } = record;
  if (record.versionKnown) return paper;
  const revisedOn = paper.revisedOn ?? null;
  let version = 2;
  if (stored) {
    if (stored.revisedOn !== null && revisedOn !== null && revisedOn < stored.revisedOn) return null;
    version = Math.max(2, stored.revisedOn === revisedOn ? stored.version : stored.version + 1);
  }
  return {
    ...paper,
    version,
    versions: [
      { version: 1, date: paper.publishedOn },
      { version, date: revisedOn },
    ],
  };
}
