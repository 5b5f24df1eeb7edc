/**
 * FNV-1a, 32 bits, over a string's UTF-16 code units: the hash that folds words into hashed feature columns
 * and that finds a word in the similar-papers vocabulary. The constants are exported for a scanner that
 * hashes a word as it reads it (`hash = Math.imul(hash ^ code, FNV_PRIME)` from FNV_OFFSET), which gives
 * the same value as `fnv1a` of the word.
 */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** FNV-1a of `text.slice(start, end)`, as a signed 32-bit integer. */
export function fnv1a(text: string, start = 0, end = text.length): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}
