import { createHash } from 'node:crypto';
import { matchesEntityTag } from '../http/page-cache.js';
import type { FeedEntry } from './query.js';

/** Bump when the rendered markup changes, so readers holding an old ETag get the new document. */
const MARKUP_VERSION = 1;

export interface FeedVersion {
  /** Weak: the same papers in the same state always give the same tag, in every process. */
  etag: string;
  /**
   * The latest change among the listed papers (an edit, or being featured); null for an empty feed.
   * FeedService dates a change that has no such time (a vote, a removal) by when it saw it.
   */
  lastModified: Date | null;
}

/** When an entry last changed as a feed shows it: its last edit, or the start of its featured day if later. */
export function entryUpdatedAt(entry: Pick<FeedEntry, 'modified_at' | 'featured_on' | 'published_on'>): number {
  const day = entry.featured_on ?? entry.published_on;
  return Math.max(Date.parse(entry.modified_at), day ? Date.parse(`${day}T00:00:00Z`) : 0);
}

/**
 * Identifies a feed document by what decides its content: the format, the parameters, the site
 * address and each listed paper's id, edit time, featured day and counts, in order.
 */
export function feedVersion(identity: string, entries: FeedEntry[]): FeedVersion {
  const hash = createHash('sha1').update(`${MARKUP_VERSION}\n${identity}\n`);
  let latest = 0;
  for (const e of entries) {
    hash.update(`${e.id}\t${e.modified_at}\t${e.featured_on ?? ''}\t${e.upvotes}\t${e.num_comments}\n`);
    latest = Math.max(latest, entryUpdatedAt(e));
  }
  return { etag: `W/"${hash.digest('base64url')}"`, lastModified: entries.length > 0 ? new Date(latest) : null };
}

export interface ConditionalHeaders {
  'if-none-match'?: string | undefined;
  'if-modified-since'?: string | undefined;
}

/**
 * Whether a conditional GET can be answered 304 (RFC 9110 §13.1): If-None-Match, compared weakly,
 * decides when present; otherwise If-Modified-Since, to the second HTTP dates carry.
 */
export function isNotModified(headers: ConditionalHeaders, version: FeedVersion): boolean {
  const noneMatch = headers['if-none-match'];
  if (noneMatch !== undefined) return matchesEntityTag(noneMatch, version.etag.replace(/^W\//, ''));
  const since = headers['if-modified-since'];
  if (since === undefined || version.lastModified === null) return false;
  const sinceMs = Date.parse(since);
  return !Number.isNaN(sinceMs) && Math.floor(version.lastModified.getTime() / 1000) * 1000 <= sinceMs;
}
