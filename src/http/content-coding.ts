import type { FastifyInstance } from 'fastify';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

/** How a body can travel: brotli, gzip, or as it is. */
export type ContentCoding = 'br' | 'gzip' | 'identity';

const BROTLI_QUALITY = 5;

/**
 * A body in every coding, compressed once for answers sent many times (cached feeds and pages).
 * Brotli at quality 5 compresses about as fast as gzip's default and still smaller; 11 would take
 * ten times as long on every new version.
 */
export function encodeEveryWay(identity: Buffer): Record<ContentCoding, Buffer> {
  const br = brotliCompressSync(identity, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
    },
  });
  return { identity, gzip: gzipSync(identity), br };
}

/**
 * The coding to send for an Accept-Encoding header (RFC 9110 §12.5.3): brotli or gzip, whichever the
 * client rates higher (brotli on a tie, being smaller), named or through `*`; identity when it accepts
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

/** Below this, compression saves less than its headers cost. */
export const COMPRESS_FROM_BYTES = 1024;

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Compresses every HTML page rendered for one request (search, paper, signed-in and error pages) in
 * the coding the client prefers, off the event loop (zlib's thread pool). Pages already encoded,
 * the shared renders of src/http/page-cache.ts, keep their coding.
 */
export function compressPages(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.hasHeader('content-encoding')) return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    if (body.length < COMPRESS_FROM_BYTES) return payload;
    // Kept beside what the page already varies on (a paper page answers Markdown by Accept).
    const vary = String(reply.getHeader('vary') ?? '');
    if (!/accept-encoding/i.test(vary)) reply.header('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    const coding = preferredCoding(request.headers['accept-encoding']);
    if (coding === 'identity') return payload;
    reply.header('content-encoding', coding);
    reply.removeHeader('content-length');
    return coding === 'br'
      ? brotliAsync(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        })
      : gzipAsync(body);
  });
}
