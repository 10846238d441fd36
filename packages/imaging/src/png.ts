import { promisify } from "node:util";
import { crc32, deflate, deflateSync, type ZlibOptions } from "node:zlib";

const deflateAsync = promisify(deflate);
/** Below this, compressing inline costs less than a round trip to the thread pool. */
const SYNC_DEFLATE_BYTES = 8 * 1024;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** zlib keeps this many bytes of lookahead out of its window (MIN_LOOKAHEAD in deflate.h). */
const ZLIB_LOOKAHEAD = 262;

/**
 * Encodes 8-bit RGBA pixels as a PNG: RGB when every pixel is opaque, RGBA otherwise, filtered
 * row by row and compressed at zlib level 6 (libpng's and Pillow's default). Small images are
 * where libvips' per-operation setup costs most, so icons are encoded here.
 */
export async function encodePng(rgba: Uint8Array, width: number, height: number): Promise<Buffer> {
  const opaque = isOpaque(rgba);
  const channels = opaque ? 3 : 4;
  const filtered = filterRows(opaque ? dropAlpha(rgba) : rgba, width, height, channels);
  const compressed =
    filtered.length < SYNC_DEFLATE_BYTES
      ? deflateSync(filtered, deflateOptionsFor(filtered.length))
      : await deflateAsync(filtered, deflateOptionsFor(filtered.length));

  const png = Buffer.allocUnsafe(SIGNATURE.length + 3 * 12 + 13 + compressed.length);
  SIGNATURE.copy(png, 0);
  let at = writeChunkHeader(png, SIGNATURE.length, "IHDR", 13);
  at = png.writeUInt32BE(width, at);
  at = png.writeUInt32BE(height, at);
  at = png.writeUInt8(8, at); // bits per sample
  at = png.writeUInt8(opaque ? 2 : 6, at); // truecolour, with or without alpha
  png.fill(0, at, at + 3); // deflate compression, adaptive filtering, no interlace
  at = writeChunkEnd(png, at + 3, 13);
  at = writeChunkHeader(png, at, "IDAT", compressed.length);
  at += compressed.copy(png, at);
  at = writeChunkEnd(png, at, compressed.length);
  at = writeChunkHeader(png, at, "IEND", 0);
  writeChunkEnd(png, at, 0);
  return png;
}

/**
 * zlib's state is sized by windowBits and memLevel, and zeroed for every call: 256 KiB at the
 * defaults, far more than an icon's kilobyte of rows. A window that still spans the whole input
 * finds the same matches, so the output stays as small.
 */
export function deflateOptionsFor(length: number): ZlibOptions {
  let windowBits = 9;
  while (windowBits < 15 && (1 << windowBits) - ZLIB_LOOKAHEAD < length) windowBits += 1;
  return { level: 6, windowBits, memLevel: windowBits - 7 };
}

function isOpaque(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

function dropAlpha(rgba: Uint8Array): Uint8Array {
  const rgb = new Uint8Array((rgba.length / 4) * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    rgb[q] = rgba[p] as number;
    rgb[q + 1] = rgba[p + 1] as number;
    rgb[q + 2] = rgba[p + 2] as number;
  }
  return rgb;
}

/**
 * Each row as filter byte + residuals, with the Sub filter on the first row and Paeth on the
 * others (what encoders pick for most rows of flat-coloured artwork like icons).
 */
function filterRows(pixels: Uint8Array, width: number, height: number, bpp: number): Buffer {
  const stride = width * bpp;
  const out = Buffer.allocUnsafe(height * (stride + 1));
  for (let y = 0, o = 0; y < height; y += 1) {
    const row = y * stride;
    const up = row - stride;
    out[o++] = y === 0 ? 1 : 4;
    for (let x = 0; x < stride; x += 1) {
      const left = x >= bpp ? (pixels[row + x - bpp] as number) : 0;
      const predicted =
        y === 0
          ? left
          : paeth(left, pixels[up + x] as number, x >= bpp ? (pixels[up + x - bpp] as number) : 0);
      out[o++] = ((pixels[row + x] as number) - predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Writes a chunk's length and type at `at`; returns where its data starts. */
function writeChunkHeader(png: Buffer, at: number, type: string, length: number): number {
  png.writeUInt32BE(length, at);
  png.write(type, at + 4, "latin1");
  return at + 8;
}

/** Writes the CRC of the chunk whose `length` data bytes end at `end` (type + data); returns the next offset. */
function writeChunkEnd(png: Buffer, end: number, length: number): number {
  return png.writeUInt32BE(crc32(png.subarray(end - length - 4, end)), end);
}

/** One PNG chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.allocUnsafe(12 + data.length);
  const at = writeChunkHeader(chunk, 0, type, data.length);
  data.copy(chunk, at);
  writeChunkEnd(chunk, at + data.length, data.length);
  return chunk;
}
