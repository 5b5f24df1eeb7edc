import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeEveryWay, preferredCoding } from './content-coding.js';

describe('content codings', () => {
  it('picks the coding a client rates highest, brotli on a tie', () => {
    expect(preferredCoding('gzip, deflate, br')).toBe('br');
    expect(preferredCoding('gzip, deflate')).toBe('gzip');
    expect(preferredCoding('br;q=1.0, GZIP;q=0.5')).toBe('br');
    expect(preferredCoding('br;q=0.4, gzip;q=0.5')).toBe('gzip');
    expect(preferredCoding('*')).toBe('br');
    expect(preferredCoding('br;q=0, *')).toBe('gzip');
    expect(preferredCoding('gzip;q=0, br;q=0, *')).toBe('identity');
    expect(preferredCoding('gzip;q=oops')).toBe('identity');
    expect(preferredCoding('identity')).toBe('identity');
    expect(preferredCoding('deflate')).toBe('identity');
    expect(preferredCoding(undefined)).toBe('identity');
  });

  it('encodes a body every way, each decoding back to it', () => {
    const body = Buffer.from('<p>é &amp; $x^2$</p>'.repeat(100));
    const encoded = encodeEveryWay(body);
    expect(encoded.identity).toBe(body);
    expect(gunzipSync(encoded.gzip)).toEqual(body);
    expect(brotliDecompressSync(encoded.br)).toEqual(body);
    expect(encoded.br.length).toBeLessThan(body.length / 10);
  });
});
