/**
 * Rendered feeds kept in memory, least recently used first out, within a byte budget. An entry is
 * served only while its ETag still matches the feed's current fingerprint, so a changed list is
 * never served from here: the fingerprint read on each request is the invalidation.
 */
export class FeedCache {
  readonly #entries = new Map<string, { etag: string; body: Buffer }>();
  #bytes = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string, etag: string): Buffer | null {
    const entry = this.#entries.get(key);
    if (!entry || entry.etag !== etag) return null;
    // Re-insert to mark it most recently used (a Map iterates in insertion order).
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.body;
  }

  set(key: string, etag: string, body: Buffer): void {
    this.#remove(key);
    if (body.length > this.maxBytes) return;
    this.#entries.set(key, { etag, body });
    this.#bytes += body.length;
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.maxBytes) break;
      this.#remove(oldest);
    }
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
  }
}
