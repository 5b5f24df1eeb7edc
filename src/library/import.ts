import { sql } from 'kysely';
import type { AppContext } from '../app/context.js';
import { ARXIV_LOOKUP_TIMEOUT_MS, interactiveArxivConfig } from '../community/submit.js';
import type { Db } from '../db/connection.js';
import { fetchArxivPapers } from '../ingest/arxiv/atom.js';
import { isArxivId, parsePaperId } from '../ingest/normalize.js';
import { countLibraryItems, saveLibraryItem } from '../store/library.js';
import { getPapers, upsertPapers, type Paper } from '../store/papers.js';
import { HttpError } from '../errors.js';
import { parseBibtex, type BibtexEntry, type BibtexProblem } from './bibtex-parse.js';
import { LIBRARY_LIMITS, ownCollection } from './library.js';

/** The largest file an import reads: parsing it costs ~0.1 s of one thread. */
export const MAX_IMPORT_BYTES = 6 * 1024 * 1024;
/** Unknown arXiv papers looked up per import: a few polite requests, within the lookup's time. */
export const MAX_ARXIV_LOOKUPS = 200;

export interface ImportReport {
  /** Entries whose paper is now in the collection (and the library), including papers it held already. */
  imported: number;
  /** Entries naming a paper an earlier entry of the file named. */
  repeated: number;
  /** Of the imported, how many arXiv was asked for. */
  lookedUp: number;
  /** Each entry skipped, by line, with why. */
  problems: BibtexProblem[];
}

type Reference = { arxiv: string } | { doi: string };

const DOI = /\b(10\.\d{4,9}\/\S+)/;

function doiIn(text: string | undefined): string | null {
  if (!text) return null;
  const found = DOI.exec(decodeURIComponent(text.replace(/%(?![0-9a-f]{2})/gi, '%25')));
  return found ? found[1]!.replace(/[.,;}]+$/, '').toLowerCase() : null;
}

function arxivIn(text: string | undefined): string | null {
  if (!text) return null;
  const id = parsePaperId(text.trim())?.id;
  if (id && isArxivId(id)) return id;
  // Google Scholar writes `journal = {arXiv preprint arXiv:2203.06604}`.
  const mention = /arxiv[:\s/]+([a-z-]+(?:\.[A-Z]{2})?\/\d{7}|\d{4}\.\d{4,5})(v\d+)?/i.exec(text);
  return mention ? (parsePaperId(mention[1]!)?.id ?? null) : null;
}

/** What an entry names: an arXiv id (from eprint, url or a journal note) or else a DOI (from doi or url). */
export function referenceOf(entry: BibtexEntry): Reference | null {
  const f = entry.fields;
  const prefix = f.get('archiveprefix')?.toLowerCase();
  const arxiv =
    (prefix === undefined || prefix === 'arxiv' ? arxivIn(f.get('eprint')) : null) ??
    arxivIn(f.get('url')) ??
    arxivIn(f.get('journal')) ??
    arxivIn(f.get('note'));
  if (arxiv) return { arxiv };
  const doi = doiIn(f.get('doi')) ?? doiIn(f.get('url'));
  return doi ? { doi } : null;
}

async function papersByDoi(db: Db, dois: string[]): Promise<Map<string, Paper>> {
  const found = new Map<string, Paper>();
  for (let i = 0; i < dois.length; i += 500) {
    const batch = dois.slice(i, i + 500);
    const rows = await db.kysely
      .selectFrom('papers')
      .select('id')
      .where((eb) =>
        eb.or([
          eb(sql<string>`lower(doi)`, 'in', batch),
          eb(
            'id',
            'in',
            batch.map((doi) => `doi:${doi}`),
          ),
        ]),
      )
      .execute();
    for (const paper of await getPapers(
      db,
      rows.map((r) => r.id),
    )) {
      const doi = (paper.doi ?? paper.id.slice(4)).toLowerCase();
      if (!found.has(doi)) found.set(doi, paper);
    }
  }
  return found;
}

async function papersByArxivId(db: Db, ids: string[]): Promise<Map<string, Paper>> {
  const found = new Map<string, Paper>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const paper of await getPapers(db, ids.slice(i, i + 500))) found.set(paper.id, paper);
  }
  return found;
}

/** Looks unknown arXiv ids up and stores what arXiv knows; the ids it could not find, with why. */
async function lookUp(
  { db, config, logger }: Pick<AppContext, 'db' | 'config' | 'logger'>,
  ids: string[],
): Promise<{ found: Map<string, Paper>; missing: Map<string, string> }> {
  const missing = new Map<string, string>();
  if (ids.length === 0) return { found: new Map(), missing };
  const signal = AbortSignal.timeout(ARXIV_LOOKUP_TIMEOUT_MS);
  try {
    const lookup = await fetchArxivPapers(ids, { config: interactiveArxivConfig(config), logger, signal });
    if (lookup.found.length > 0) await upsertPapers(db, lookup.found);
    for (const id of lookup.notFound) missing.set(id, `arXiv has no paper ${id}`);
    return {
      found: await papersByArxivId(
        db,
        lookup.found.map((r) => r.id),
      ),
      missing,
    };
  } catch (error) {
    logger.warn({ err: error, ids: ids.length }, 'arXiv lookup for a BibTeX import failed');
    const why = signal.aborted ? 'arXiv did not answer in time' : 'arXiv could not be reached';
    for (const id of ids) missing.set(id, `${why} to look up ${id}; import the file again later`);
    return { found: new Map(), missing };
  }
}

/**
 * Imports a BibTeX file into one of the member's collections (saving each paper to their library too). Each
 * entry is matched by the arXiv id or DOI it names; arXiv papers not stored yet are looked up through the
 * arXiv client. Entries that cannot be read or matched, and repeated citation keys, are reported by line and
 * skipped; the rest are imported.
 */
export async function importBibtex(
  ctx: Pick<AppContext, 'db' | 'config' | 'logger'>,
  userId: string,
  collectionId: string,
  text: string,
): Promise<ImportReport> {
  const { db } = ctx;
  if (Buffer.byteLength(text) > MAX_IMPORT_BYTES) {
    throw new HttpError(400, `The file is over ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it into smaller files.`);
  }
  const collection = await ownCollection(db, userId, collectionId);
  const { entries, problems } = parseBibtex(text);
  if (entries.length === 0 && problems.length === 0) throw new HttpError(400, 'The file holds no BibTeX entries.');

  const firstLine = new Map<string, number>();
  const wanted: { line: number; ref: Reference }[] = [];
  for (const entry of entries) {
    const seen = firstLine.get(entry.key);
    if (seen !== undefined) {
      problems.push({ line: entry.line, message: `the key ${entry.key} is used before, on line ${seen}; skipped` });
      continue;
    }
    firstLine.set(entry.key, entry.line);
    const ref = referenceOf(entry);
    if (ref) wanted.push({ line: entry.line, ref });
    else problems.push({ line: entry.line, message: `${entry.key} names no arXiv id or DOI (eprint, doi or url)` });
  }

  const arxivIds = [...new Set(wanted.flatMap(({ ref }) => ('arxiv' in ref ? [ref.arxiv] : [])))];
  const dois = [...new Set(wanted.flatMap(({ ref }) => ('doi' in ref ? [ref.doi] : [])))];
  const [stored, byDoi] = await Promise.all([papersByArxivId(db, arxivIds), papersByDoi(db, dois)]);
  const unknown = arxivIds.filter((id) => !stored.has(id));
  const looked = await lookUp(ctx, unknown.slice(0, MAX_ARXIV_LOOKUPS));
  for (const id of unknown.slice(MAX_ARXIV_LOOKUPS)) {
    looked.missing.set(id, `${id} was not looked up: at most ${MAX_ARXIV_LOOKUPS} new papers per import`);
  }

  let room = LIBRARY_LIMITS.items - (await countLibraryItems(db, userId));
  const report: ImportReport = { imported: 0, repeated: 0, lookedUp: 0, problems };
  const filed = new Set<string>();
  for (const { line, ref } of wanted) {
    const paper = 'arxiv' in ref ? (stored.get(ref.arxiv) ?? looked.found.get(ref.arxiv)) : byDoi.get(ref.doi);
    if (!paper || paper.hidden) {
      const why = 'arxiv' in ref ? looked.missing.get(ref.arxiv) : undefined;
      problems.push({ line, message: why ?? `no paper ${'arxiv' in ref ? ref.arxiv : `with DOI ${ref.doi}`} here` });
      continue;
    }
    if (filed.has(paper.id)) {
      report.repeated++;
      continue;
    }
    filed.add(paper.id);
    if (room <= 0) {
      problems.push({ line, message: `your library is full (${LIBRARY_LIMITS.items} papers); skipped` });
      continue;
    }
    const isNew = await saveLibraryItem(db, userId, paper.id, { collectionId: collection.id });
    if (isNew) room--;
    report.imported++;
    if (looked.found.has(paper.id)) report.lookedUp++;
  }
  problems.sort((a, b) => a.line - b.line);
  return report;
}
