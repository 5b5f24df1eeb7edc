import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { importBibtex, MAX_IMPORT_BYTES } from '../library/import.js';
import { exportFileName, EXPORT_FORMATS, exportPapers, type ExportEntry } from '../library/export.js';
import {
  changeCollection,
  collectionIdSchema,
  LIBRARY_LIMITS,
  libraryPage,
  newCollection,
  readableCollection,
  removeFromLibrary,
  saveToLibrary,
} from '../library/library.js';
import { listCollections, type Collection, type CollectionWithCount } from '../store/collections.js';
import { listCollectionPapers, listLibraryItems, type LibraryItem } from '../store/library.js';
import { paperIdParam, wholeNumber } from '../http/params.js';
import { collectionPath } from '../markup/urls.js';
import { toPaperJson, paperJson } from './paper-json.js';
import { Answer, answers, apiSchemas, defineApiRoute } from './route.js';

const unauthorized = answers.unauthorized('No valid API token (or session)');
const noCollection = answers.notFound('No such collection of yours (another member’s answers the same)');

export const libraryItemJson = z
  .object({
    paper: paperJson,
    note: z.string().describe('Your note on the paper (private)'),
    read: z.boolean(),
    readAt: z.string().nullable().describe('When you marked it read'),
    savedAt: z.string(),
    collections: z.array(z.string()).describe('Ids of your collections that hold it'),
  })
  .register(apiSchemas, { id: 'LibraryItem', description: 'A paper in your library' });

export const collectionJson = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    public: z.boolean().describe('Public collections have a page and RSS/Atom feeds anyone can read'),
    papers: z.int().nonnegative().optional(),
    url: z.string().describe('Its page (public collections only are visible to others)'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .register(apiSchemas, { id: 'Collection' });

export const importReportJson = z
  .object({
    imported: z.int().nonnegative().describe('Entries whose paper is now in the collection'),
    repeated: z.int().nonnegative().describe('Entries naming a paper an earlier entry named'),
    lookedUp: z.int().nonnegative().describe('Of the imported, papers fetched from arXiv'),
    problems: z.array(z.object({ line: z.int().positive(), message: z.string() })).describe('Skipped entries'),
  })
  .register(apiSchemas, { id: 'ImportReport' });

function itemJson(item: LibraryItem, site: string) {
  return {
    paper: toPaperJson(item.paper, site),
    note: item.note,
    read: item.readAt !== null,
    readAt: item.readAt,
    savedAt: item.savedAt,
    collections: item.collectionIds,
  };
}

function toCollectionJson(collection: Collection | CollectionWithCount) {
  return {
    id: collection.id,
    name: collection.name,
    description: collection.description,
    public: collection.public,
    ...('papers' in collection ? { papers: collection.papers } : {}),
    url: collectionPath(collection.id),
    createdAt: collection.createdAt,
    updatedAt: collection.updatedAt,
  };
}

const paperIdParams = z.object({ paperId: paperIdParam });
const noteField = z.string().meta({
  description: `Your note (replaces the one kept; "" clears it)`,
  maxLength: LIBRARY_LIMITS.noteChars,
});
const saveBody = z
  .object({
    collection: collectionIdSchema.optional().describe('Also file the paper in this collection of yours'),
    note: noteField.optional(),
    read: z.boolean().optional().describe('Mark it read (true) or unread (false)'),
  })
  .strict();

const collectionBody = z
  .object({
    name: z.string().meta({ maxLength: LIBRARY_LIMITS.collectionNameChars }),
    description: z.string().meta({ maxLength: LIBRARY_LIMITS.collectionDescriptionChars }).optional(),
    public: z.boolean().optional().describe('Private (false) by default'),
  })
  .strict();

const readFilter = z
  .enum(['read', 'unread'], { error: 'expected read or unread' })
  .optional()
  .describe('Only papers marked read, or only unread ones');

const libraryQuery = z.object({
  collection: collectionIdSchema.optional().describe('Only papers in this collection of yours'),
  state: readFilter,
  limit: wholeNumber(1, LIBRARY_LIMITS.maxPageSize, LIBRARY_LIMITS.pageSize, 'Papers per page'),
  p: wholeNumber(0, LIBRARY_LIMITS.items, 0, 'Page number, from 0'),
});

const exportQuery = z.object({
  format: z
    .enum(EXPORT_FORMATS, { error: 'expected bibtex, ris or csv' })
    .default('bibtex')
    .describe('bibtex (the default), ris or csv'),
});

const readOf = (state: 'read' | 'unread' | undefined) => (state === undefined ? undefined : state === 'read');

/** Every paper of a library or collection page, as exported: at most the library's size, so bounded. */
async function everyLibraryItem(db: Db, userId: string, collectionId?: string): Promise<ExportEntry[]> {
  const { items } = await listLibraryItems(db, { userId, collectionId, limit: LIBRARY_LIMITS.items });
  return items.map((item) => ({ paper: item.paper, note: item.note, readAt: item.readAt, savedAt: item.savedAt }));
}

function download(entries: ExportEntry[], format: (typeof EXPORT_FORMATS)[number], name: string, own: boolean) {
  const file = exportPapers(entries, format, own);
  return new Answer(file.body, {
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${exportFileName(name, file.extension)}"`,
    },
  });
}

const fileAnswer = answers.ok(
  'The file: BibTeX, RIS or CSV (with your notes when it is yours)',
  z.string(),
  'text/plain',
);

/** The library API: save and remove papers, list them, collections, exports. */
export const libraryRoutes = [
  defineApiRoute({
    method: 'GET',
    operationId: 'listLibrary',
    path: '/api/library',
    urls: ['/api/library'],
    summary: 'Your saved papers, most recently saved first',
    query: libraryQuery,
    member: 'see your library',
    responses: [
      answers.ok(
        'A page of your library',
        z.object({
          items: z.array(libraryItemJson),
          total: z.int().nonnegative(),
          collection: collectionJson.nullable(),
        }),
      ),
      answers.badRequest('A malformed parameter'),
      unauthorized,
      noCollection,
    ],
    async handle({ query, member }, { db, config }) {
      const page = await libraryPage(db, member.id, {
        collection: query.collection,
        read: readOf(query.state),
        limit: query.limit,
        offset: query.p * query.limit,
      });
      return {
        items: page.items.map((item) => itemJson(item, config.BASE_URL)),
        total: page.total,
        collection: page.collection && toCollectionJson(page.collection),
      };
    },
  }),
  defineApiRoute({
    method: 'GET',
    operationId: 'exportLibrary',
    path: '/api/library/export',
    urls: ['/api/library/export'],
    summary: 'Your whole library as BibTeX, RIS or CSV',
    query: exportQuery,
    member: 'export your library',
    responses: [fileAnswer, answers.badRequest('An unknown format'), unauthorized],
    async handle({ query, member }, { db }) {
      return download(await everyLibraryItem(db, member.id), query.format, 'library', true);
    },
  }),
  defineApiRoute({
    method: 'PUT',
    operationId: 'savePaper',
    path: '/api/library/{paperId}',
    urls: ['/api/library/*'],
    readParams: (raw) => ({ paperId: raw['*'] }),
    summary: 'Save a paper to your library (and a collection), with a note and a read state',
    description: 'Saving a saved paper again changes only what the body names.',
    params: paperIdParams,
    body: saveBody,
    member: 'save papers',
    responses: [
      answers.ok('The saved paper', libraryItemJson),
      answers.badRequest('A malformed id or body, or an oversized note'),
      unauthorized,
      answers.notFound('No such paper, or no such collection of yours'),
      answers.conflict('Your library is full'),
    ],
    async handle({ params, body, member }, { db, config }) {
      return itemJson(await saveToLibrary(db, member.id, params.paperId, body), config.BASE_URL);
    },
  }),
  defineApiRoute({
    method: 'DELETE',
    operationId: 'removePaper',
    path: '/api/library/{paperId}',
    urls: ['/api/library/*'],
    readParams: (raw) => ({ paperId: raw['*'] }),
    summary: 'Remove a paper from your library, or from one collection',
    params: paperIdParams,
    query: z.object({
      collection: collectionIdSchema.optional().describe('Only take it out of this collection; it stays saved'),
    }),
    member: 'remove saved papers',
    responses: [
      answers.noContent('Removed'),
      answers.badRequest('A malformed id'),
      unauthorized,
      answers.notFound('It was not in your library (or that collection), or no such collection of yours'),
    ],
    async handle({ params, query, member }, { db }) {
      await removeFromLibrary(db, member.id, params.paperId, query.collection);
      return new Answer(undefined, { status: 204 });
    },
  }),
  defineApiRoute({
    method: 'GET',
    operationId: 'listCollections',
    path: '/api/collections',
    urls: ['/api/collections'],
    summary: 'Your collections, by name',
    member: 'see your collections',
    responses: [answers.ok('Your collections', z.array(collectionJson)), unauthorized],
    async handle({ member }, { db }) {
      return (await listCollections(db, member.id)).map(toCollectionJson);
    },
  }),
  defineApiRoute({
    method: 'POST',
    operationId: 'createCollection',
    path: '/api/collections',
    urls: ['/api/collections'],
    summary: 'Create a collection (private unless `public` is true)',
    body: collectionBody,
    member: 'create collections',
    responses: [
      answers.created('The new collection', collectionJson),
      answers.badRequest('A missing, blank or oversized name or description'),
      unauthorized,
      answers.conflict('You already have a collection of that name, or as many as one member may have'),
    ],
    async handle({ body, member }, { db }) {
      return new Answer(toCollectionJson(await newCollection(db, member.id, body)), { status: 201 });
    },
  }),
  defineApiRoute({
    method: 'PATCH',
    operationId: 'changeCollection',
    path: '/api/collections/{id}',
    urls: ['/api/collections/:id'],
    summary: 'Rename, describe, publish or unpublish your collection',
    params: z.object({ id: collectionIdSchema }),
    body: collectionBody.partial(),
    member: 'change collections',
    responses: [
      answers.ok('The collection', collectionJson),
      answers.badRequest('A blank or oversized name or description'),
      unauthorized,
      noCollection,
      answers.conflict('You already have a collection of that name'),
    ],
    async handle({ params, body, member }, { db }) {
      return toCollectionJson(await changeCollection(db, member.id, params.id, body));
    },
  }),
  defineApiRoute({
    method: 'POST',
    operationId: 'importBibtex',
    path: '/api/collections/{id}/import',
    urls: ['/api/collections/:id/import'],
    summary: 'Import a BibTeX file into your collection',
    description:
      'Entries are matched by the arXiv id or DOI in their `eprint`, `doi` or `url`; arXiv papers not stored here ' +
      'yet are looked up on arXiv. Entries that cannot be read or matched, and repeated keys, are reported by line ' +
      'and skipped; the rest are imported.',
    params: z.object({ id: collectionIdSchema }),
    body: z
      .object({ bibtex: z.string().meta({ description: 'The file’s text', maxLength: MAX_IMPORT_BYTES }) })
      .strict(),
    bodyLimit: MAX_IMPORT_BYTES + 64 * 1024,
    member: 'import papers',
    responses: [
      answers.ok('What was imported, and each entry skipped with its line and why', importReportJson),
      answers.badRequest('No entries, an oversized file, or a malformed body'),
      unauthorized,
      noCollection,
    ],
    async handle({ params, body, member }, ctx) {
      return importBibtex(ctx, member.id, params.id, body.bibtex);
    },
  }),
  defineApiRoute({
    method: 'GET',
    operationId: 'exportCollection',
    path: '/api/collections/{id}/export',
    urls: ['/api/collections/:id/export'],
    summary: 'A collection as BibTeX, RIS or CSV',
    description:
      'Your own collections (with your notes), or anyone’s public one (without notes). A private collection of ' +
      'someone else answers 404, as an unknown id does.',
    params: z.object({ id: collectionIdSchema }),
    query: exportQuery,
    responses: [fileAnswer, answers.badRequest('An unknown format'), noCollection],
    async handle({ params, query, viewer }, { db }) {
      const collection = await readableCollection(db, viewer?.id ?? null, params.id);
      const own = collection.userId === viewer?.id;
      const entries = own
        ? await everyLibraryItem(db, collection.userId, collection.id)
        : (await listCollectionPapers(db, collection.id, { limit: LIBRARY_LIMITS.items })).map(({ paper }) => ({
            paper,
          }));
      return download(entries, query.format, collection.name, own);
    },
  }),
];
