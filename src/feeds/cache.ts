import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FeedVersion } from './version.js';

export type ContentCoding = 'br' | 'gzip' | 'identity';

/**
 * A rendered feed as sent: the document, and the same compressed once per version for the readers
 * that ask (nearly all do: a 112 KB day feed is ~30 KB gzipped, less in brotli). Brotli at quality 5
 * compresses about as fast as gzip's default and still smaller; 11 would take ten times as long on
 * every new version.
 */
export interface RenderedFeed {
  version: FeedVersion;
  bytes: Record<ContentCoding, Buffer>;
}

const BROTLI_QUALITY = 5;

export function renderedFeed(version: FeedVersion, document: string): RenderedFeed {
  const identity = Buffer.from(document);
  const br = brotliCompressSync(identity, {
    params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length },
  });
  return { version, bytes: { identity, gzip: gzipSync(identity), br } };
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

/**
 * The coding to send for an Accept-Encoding header (RFC 9110 §12.5.3): brotli or gzip, whichever the
 * reader rates higher (brotli on a tie, being smaller), named or through `*`; identity when it accepts
 * neither or sends no header.
 */
export function preferredCoding(acceptEncoding: string | undefined): ContentCoding {
  if (!acceptEncoding) return 'identity';
  const qualities = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [coding, ...parameters] = part.split(';').map((s) => s.trim());
    const q = parameters.find((p) => p.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    qualities.set(coding!, Number.isFinite(quality) ? quality : 0);
  }
  const quality = (coding: string) => qualities.get(coding) ?? qualities.get('*') ?? 0;
  const [br, gzip] = [quality('br'), quality('gzip')];
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : 'identity';
}
