/**
 * The JSONL import format (one paper a line, plain or gzip-compressed): streaming, validation of
 * each line, normalisation into store records and batched upserts.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import type { Db } from '../db/connection.js';
import { isValidDay } from '../rank/periods.js';
import { settleFullTextIndexes, upsertPapers, type PaperRecord, type UpsertOptions } from '../store/papers.js';
import { collapseWhitespace, dateFromArxivId, parsePaperId } from './normalize.js';

/** Sizes past which a line is not a paper but a mistake or an attack. */
export const IMPORT_LIMITS = {
  lineBytes: 1024 * 1024,
  title: 1_000,
  abstract: 20_000,
  // Large collaborations sign with thousands of names (Gemini 2.5 has 3,303, ATLAS+CMS papers over 5,000).
  authors: 10_000,
  authorName: 1_000,
  categories: 100,
} as const;

/** arXiv category codes (cs.CV, hep-th, cond-mat.mes-hall); MSC and ACM class strings are not categories. */
const CATEGORY = /^[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?$/;

// Control characters (NUL above all, which PostgreSQL cannot store in text) become spaces, then collapse.
const text = (field: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`) })
    .max(max, `${field} is longer than ${max.toLocaleString('en')} characters`)
    .transform((value) => collapseWhitespace(value.replace(/\p{Cc}+/gu, ' ')));

const authorName = text('author name', IMPORT_LIMITS.authorName);

const importLineSchema = z.object({
  id: z.string({ error: (issue) => (issue.input === undefined ? 'id is required' : 'id must be a string') }),
  title: text('title', IMPORT_LIMITS.title).refine((t) => t.length > 0, 'title is empty'),
  abstract: text('abstract', IMPORT_LIMITS.abstract).default(''),
  authors: z
    .array(
      z.union([authorName, z.object({ name: authorName }).transform((a) => a.name)], {
        error: 'each author must be a name or {name}',
      }),
      {
        error: 'authors must be an array',
      },
    )
    .max(IMPORT_LIMITS.authors, `more than ${IMPORT_LIMITS.authors.toLocaleString('en')} authors`)
    .default([]),
  categories: z
    .array(z.string({ error: 'each category must be a string' }), { error: 'categories must be an array' })
    .max(IMPORT_LIMITS.categories, `more than ${IMPORT_LIMITS.categories} categories`)
    .default([]),
  published: z
    .string({ error: 'published must be a YYYY-MM-DD string' })
    .refine(isValidDay, 'published is not a valid YYYY-MM-DD date')
    .nullish(),
});

export type ParsedLine = { ok: true; record: PaperRecord } | { ok: false; reason: string };

/** Validates and normalises one line of the import format. */
export function parseImportLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, reason: 'not a JSON object' };
  const parsed = importLineSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: [...new Set(parsed.error.issues.map((i) => i.message))].join('; ') };
  const fields = parsed.data;
  const id = parsePaperId(fields.id);
  if (!id) return { ok: false, reason: `malformed id ${JSON.stringify(fields.id.slice(0, 80))}` };
  const authors = fields.authors.filter((name) => name.length > 0).map((name) => ({ name }));
  const categories = [...new Set(fields.categories.map((c) => c.trim()).filter((c) => CATEGORY.test(c)))];
  const record: PaperRecord = {
    id: id.id,
    title: fields.title,
    abstract: fields.abstract,
    authors,
    categories,
    publishedOn: fields.published ?? dateFromArxivId(id.id),
  };
  if (id.version !== null) record.version = id.version;
  return { ok: true, record };
}

export interface SourceLine {
  /** 1-based line number in the (decompressed) file. */
  number: number;
  /** The line without its line break; null when it was longer than the limit (its bytes were discarded). */
  text: string | null;
  bytes: number;
}

async function isGzip(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { bytesRead, buffer } = await file.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await file.close();
  }
}

/**
 * Streams the lines of a plain or gzip file (detected by its magic bytes). Memory stays bounded:
 * a line longer than `maxBytes` is counted and skipped, never held. `onBytes` sees raw bytes read.
 */
export async function* readLines(
  path: string,
  options: { maxBytes?: number; onBytes?: (bytes: number) => void } = {},
): AsyncGenerator<SourceLine> {
  const maxBytes = options.maxBytes ?? IMPORT_LIMITS.lineBytes;
  const gzip = await isGzip(path);
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  if (options.onBytes) raw.on('data', (chunk) => options.onBytes!(chunk.length));
  const stream: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  // A gunzip error (truncated archive) must surface in the loop below, not as an unhandled stream error.
  raw.on('error', (error) => stream.destroy(error));

  let parts: Buffer[] = [];
  let length = 0;
  let number = 0;
  const finish = (): SourceLine => {
    number++;
    let line: string | null = null;
    if (length <= maxBytes) {
      line = Buffer.concat(parts, length).toString('utf8');
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (number === 1 && line.startsWith('\uFEFF')) line = line.slice(1);
    }
    const result = { number, text: line, bytes: length };
    parts = [];
    length = 0;
    return result;
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline;
      if (length + (end - start) <= maxBytes) parts.push(chunk.subarray(start, end));
      length += end - start;
      if (newline === -1) break;
      yield finish();
      start = newline + 1;
    }
  }
  if (length > 0) yield finish();
}

export interface BadLine {
  line: number;
  reason: string;
}

/** The valid papers of a JSONL file, in file order; blank lines are ignored, bad ones reported and skipped. */
export async function* readPaperRecords(
  path: string,
  options: { onBadLine?: (bad: BadLine) => void; onBytes?: (bytes: number) => void } = {},
): AsyncGenerator<PaperRecord> {
  for await (const line of readLines(path, { onBytes: options.onBytes })) {
    if (line.text !== null && line.text.trim() === '') continue;
    const parsed: ParsedLine =
      line.text === null
        ? {
            ok: false,
            reason: `line is ${line.bytes.toLocaleString('en')} bytes, more than ${IMPORT_LIMITS.lineBytes.toLocaleString('en')}`,
          }
        : parseImportLine(line.text);
    if (parsed.ok) yield parsed.record;
    else options.onBadLine?.({ line: line.number, reason: parsed.reason });
  }
}

export interface ImportProgress {
  /** Raw (possibly compressed) bytes read so far, of `totalBytes`. */
  bytesRead: number;
  totalBytes: number;
  papers: number;
}

export interface ImportOptions {
  /** Features the newly stored papers on this day's feed. */
  featuredOn?: string;
  /** Papers per transaction. */
  batchSize?: number;
  onBadLine?: (bad: BadLine) => void;
  /** Called after each batch is stored. */
  onProgress?: (progress: ImportProgress) => void;
  now?: Date;
}

export interface ImportSummary {
  inserted: number;
  updated: number;
  unchanged: number;
  bad: number;
  seconds: number;
}

/** Imports a JSONL file into the store in batches, one transaction each; bad lines are skipped. */
export async function importJsonl(db: Db, path: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 1000;
  const upsertOptions: UpsertOptions = { featuredOn: options.featuredOn ?? null, now: options.now };
  const progress: ImportProgress = { bytesRead: 0, totalBytes: (await stat(path)).size, papers: 0 };
  const summary: ImportSummary = { inserted: 0, updated: 0, unchanged: 0, bad: 0, seconds: 0 };
  let batch: PaperRecord[] = [];

  const flush = async () => {
    const result = await upsertPapers(db, batch, upsertOptions);
    summary.inserted += result.inserted;
    summary.updated += result.updated;
    summary.unchanged += result.unchanged;
    progress.papers += batch.length;
    batch = [];
    options.onProgress?.(progress);
  };

  const records = readPaperRecords(path, {
    onBytes: (n) => (progress.bytesRead += n),
    onBadLine: (bad) => {
      summary.bad++;
      options.onBadLine?.(bad);
    },
  });
  for await (const record of records) {
    batch.push(record);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  await settleFullTextIndexes(db);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
