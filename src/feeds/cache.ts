import { encodeEveryWay, type ContentCoding } from '../http/content-coding.js';
import type { FeedVersion } from './version.js';

/**
 * A rendered feed as sent: the document, and the same compressed once per version for the readers
 * that ask (nearly all do: a 112 KB day feed is ~30 KB gzipped, less in brotli).
 */
export interface RenderedFeed {
  version: FeedVersion;
  bytes: Record<ContentCoding, Buffer>;
}

export function renderedFeed(version: FeedVersion, document: string): RenderedFeed {
  return { version, bytes: encodeEveryWay(Buffer.from(document)) };
}

export function renderedSize(feed: RenderedFeed): number {
  return feed.bytes.identity.length + feed.bytes.gzip.length + feed.bytes.br.length;
}

/** Values kept in memory by key, least recently used first out, within a byte budget. */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();
  #bytes = 0;

  constructor(
    readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | null {
    const entry = this.#entries.get(key);
    if (!entry) return null;
    // Re-insert to mark it most recently used (a Map iterates in insertion order).
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, value: V): void {
    this.#remove(key);
    if (this.sizeOf(value) > this.maxBytes) return;
    this.#entries.set(key, value);
    this.#bytes += this.sizeOf(value);
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.maxBytes) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= this.sizeOf(entry);
  }
}
