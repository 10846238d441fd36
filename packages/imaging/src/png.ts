import { promisify } from "node:util";
import { crc32, deflate, deflateSync } from "node:zlib";

const deflateAsync = promisify(deflate);
/** Below this, compressing inline costs less than a round trip to the thread pool. */
const SYNC_DEFLATE_BYTES = 8 * 1024;
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Encodes 8-bit RGBA pixels as a PNG: RGB when every pixel is opaque, RGBA otherwise, filtered
 * row by row and compressed off the main thread. Small images are where libvips' per-operation
 * setup costs most, so icons are encoded here.
 */
export async function encodePng(rgba: Uint8Array, width: number, height: number): Promise<Buffer> {
  let opaque = true;
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] !== 255) {
      opaque = false;
      break;
    }
  }
  const channels = opaque ? 3 : 4;
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let p = 0, q = 0; p < rgba.length; p += 4) {
    pixels[q++] = rgba[p] ?? 0;
    pixels[q++] = rgba[p + 1] ?? 0;
    pixels[q++] = rgba[p + 2] ?? 0;
    if (!opaque) pixels[q++] = rgba[p + 3] ?? 0;
  }
  const filtered = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y += 1)
    filterRow(pixels, y, stride, channels, filtered.subarray(y * (stride + 1)));

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = opaque ? 2 : 6; // truecolour, with or without alpha
  return Buffer.concat([
    SIGNATURE,
    pngChunk("IHDR", header),
    pngChunk(
      "IDAT",
      filtered.length < SYNC_DEFLATE_BYTES
        ? deflateSync(filtered, { level: 6 })
        : await deflateAsync(filtered, { level: 6 }),
    ),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * Writes one row as filter byte + residuals, with the Sub filter on the first row and Paeth on the
 * others (what encoders pick for most rows of flat-coloured artwork like icons).
 */
function filterRow(pixels: Buffer, y: number, stride: number, bpp: number, out: Buffer): void {
  const row = y * stride;
  const up = row - stride;
  out[0] = y === 0 ? 1 : 4;
  for (let x = 0; x < stride; x += 1) {
    const left = x >= bpp ? (pixels[row + x - bpp] as number) : 0;
    const predicted =
      y === 0 ? left : paeth(left, pixels[up + x] as number, x >= bpp ? (pixels[up + x - bpp] as number) : 0);
    out[1 + x] = ((pixels[row + x] as number) - predicted) & 0xff;
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** One PNG chunk: length, type, data and CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
