/**
 * The byte form of a corpus-learned model for the database: a little-endian uint32 header length,
 * a JSON header (the model's own fields, plus `terms` and `wordBytes`), the vocabulary as
 * newline-separated UTF-8 padded to 4 bytes, then float32 arrays back to back.
 */
export function encodeTables(header: Record<string, unknown>, vocabulary: string[], arrays: Float32Array[]): Buffer {
  const words = Buffer.from(vocabulary.join('\n'), 'utf8');
  const json = Buffer.from(JSON.stringify({ ...header, terms: vocabulary.length, wordBytes: words.length }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const pad = Buffer.alloc((4 - ((4 + json.length + words.length) % 4)) % 4);
  return Buffer.concat([
    length,
    json,
    words,
    pad,
    ...arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
  ]);
}

/** The header of a byte form written by encodeTables (or by packParts). */
export function readHeader<Header>(bytes: Uint8Array): { header: Header; end: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = buffer.readUInt32LE(0);
  return { header: JSON.parse(buffer.subarray(4, 4 + length).toString('utf8')) as Header, end: 4 + length };
}

/** Reads what encodeTables wrote: the header, the vocabulary, and a reader of the float arrays in order. */
export function decodeTables<Header>(bytes: Uint8Array): {
  header: Header & { terms: number };
  vocabulary: string[];
  floats(count: number): Float32Array;
} {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { header, end } = readHeader<Header & { terms: number; wordBytes: number }>(bytes);
  let offset = end;
  const vocabulary =
    header.terms === 0
      ? []
      : buffer
          .subarray(offset, offset + header.wordBytes)
          .toString('utf8')
          .split('\n');
  offset += header.wordBytes;
  offset += (4 - (offset % 4)) % 4;
  // Copies, so the floats are aligned whatever the driver's buffer offset.
  const floats = (count: number) => {
    const array = new Float32Array(count);
    Buffer.from(array.buffer).set(buffer.subarray(offset, offset + count * 4));
    offset += count * 4;
    return array;
  };
  return { header, vocabulary, floats };
}
