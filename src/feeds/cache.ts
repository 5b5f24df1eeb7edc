import { gzipSync } from 'node:zlib';
import type { FeedVersion } from './version.js';

/** A rendered feed as sent: the document, and the same gzipped once for the readers that ask for it. */
export interface RenderedFeed {
  version: FeedVersion;
  identity: Buffer;
  gzip: Buffer;
}

export function renderedFeed(version: FeedVersion, document: string): RenderedFeed {
  const identity = Buffer.from(document);
  return { version, identity, gzip: gzipSync(identity) };
}

export function renderedSize(feed: RenderedFeed): number {
  return feed.identity.length + feed.gzip.length;
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

/** Whether an Accept-Encoding header admits gzip (named or by `*`, with a non-zero quality). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  const qualities = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [coding, ...parameters] = part.split(';').map((s) => s.trim());
    const q = parameters.find((p) => p.startsWith('q='));
    qualities.set(coding!, q ? Number(q.slice(2)) : 1);
  }
  const quality = qualities.get('gzip') ?? qualities.get('*') ?? 0;
  return quality > 0;
}
