import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { FetchError } from './fetch-error.js';

/** The content codings the fetcher asks for and can undo. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * Reads a response body, undoing its `Content-Encoding`, and stops with a `too-large` error as soon as
 * more than `maxBytes` have come out (counted after decompression, so a gzip bomb stops at the cap
 * instead of filling memory; the raw bytes are capped too). Returns `decoded: false` when a coding is
 * unknown: the bytes are then returned as sent.
 */
export async function readBody(
  body: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
  url: string,
): Promise<{ body: Buffer; decoded: boolean }> {
  // Codings are listed in the order they were applied; undo them last first.
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
  const decoded = codings.every((c) => KNOWN_CODINGS.has(c));

  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  if (first.done) return { body: Buffer.alloc(0), decoded };

  const tooLarge = (): FetchError =>
    new FetchError('too-large', url, `body exceeds ${maxBytes} bytes${decoded && codings.length > 0 ? ' after decompression' : ''}: ${url}`);
  let raw = 0;
  async function* source(): AsyncGenerator<Buffer> {
    let next: IteratorResult<Buffer> = first;
    while (!next.done) {
      raw += next.value.length;
      if (raw > maxBytes) throw tooLarge();
      yield next.value;
      next = await iterator.next();
    }
  }
  const chain: Transform[] = decoded ? codings.map((c, i) => decoderFor(c, i === 0 ? first.value : undefined)) : [];

  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const collect = new Writable({
      write(chunk: Buffer, _encoding, done) {
        total += chunk.length;
        if (total > maxBytes) {
          done(tooLarge());
          return;
        }
        chunks.push(chunk);
        done();
      },
    });
    await pipeline([Readable.from(source()), ...chain, collect]);
  } finally {
    // Stop the socket from delivering the rest of a body we gave up on.
    if (!body.readableEnded) body.destroy();
  }
  return { body: Buffer.concat(chunks, total), decoded };
}

const KNOWN_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

function decoderFor(coding: string, firstBytes: Buffer | undefined): Transform {
  // Servers often end compressed bodies early; browsers keep what was decoded, and so do we (the same
  // flush settings undici's own fetch uses).
  const zlibOpts = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip(zlibOpts);
    case 'deflate':
      // `deflate` should be zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate. Sniff the
      // zlib header (RFC 1950: CM = 8, and CMF·256 + FLG divisible by 31) when deflate is the outer coding.
      return firstBytes !== undefined && !looksLikeZlib(firstBytes) ? createInflateRaw(zlibOpts) : createInflate(zlibOpts);
    default:
      return createBrotliDecompress({
        flush: constants.BROTLI_OPERATION_FLUSH,
        finishFlush: constants.BROTLI_OPERATION_FLUSH,
      });
  }
}

function looksLikeZlib(bytes: Buffer): boolean {
  const cmf = bytes[0];
  const flg = bytes[1];
  if (cmf === undefined || flg === undefined) return true;
  return (cmf & 0x0f) === 8 && (cmf * 256 + flg) % 31 === 0;
}
