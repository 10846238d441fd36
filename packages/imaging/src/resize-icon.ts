import sharp, { type Metadata, type OutputInfo } from "sharp";
import { decodeFailure } from "./decode-failure.js";
import { InvalidImageError } from "./errors.js";
import { encodePng } from "./png.js";
import { resampleArea } from "./resample.js";
import { type SourceFormat, sniffFormat } from "./sniff.js";
import { assertSafeSvg } from "./svg.js";

export interface ResizeOptions {
  /** The output fits inside size × size. */
  size: number;
  /**
   * Sources with more pixels (width × height) are refused as invalid, before decoding.
   * @default 16_777_216 (4096 × 4096: far beyond any icon, far below a pixel bomb)
   */
  maxPixels?: number;
  /**
   * Seconds libvips may spend decoding one image before the work is abandoned (a transient failure).
   * @default 10
   */
  timeoutSeconds?: number;
}

export interface ResizedIcon {
  png: Buffer;
  width: number;
  height: number;
  format: SourceFormat;
}

/** Why a source that is no image format the resizer reads is refused (code `not-an-image`). */
export const UNSUPPORTED_FORMAT = "not an image (PNG, JPEG, GIF, WebP, TIFF, AVIF/HEIF or SVG)";

/** Why a source of zero bytes is refused (code `empty`). */
export const EMPTY_FILE = "the file is empty";

export const DEFAULT_MAX_PIXELS = 4096 * 4096;
export const DEFAULT_TIMEOUT_SECONDS = 10;
/** Vector sources are rendered at most this many times their intrinsic size. */
const MAX_VECTOR_SCALE = 64;

/**
 * Resizes one icon: PNG out, fitting inside size × size with the aspect ratio kept, never
 * enlarged, EXIF orientation applied, the first frame of an animation only, vector sources
 * rendered at the target size. Throws `InvalidImageError` (permanent, with a `RefusalCode` that is
 * the same at every size) for input that cannot become an icon, and other errors (transient) when
 * the work itself failed.
 *
 * sharp (libvips) decodes, orients and converts to sRGB; the shrink and the PNG encoding run here,
 * because for icon-sized images libvips' per-operation setup costs more than the work itself.
 */
export async function resizeIcon(input: Uint8Array, options: ResizeOptions): Promise<ResizedIcon> {
  const { size } = options;
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    throw new RangeError(`size must be an integer between 1 and 4096, got ${size}`);
  }
  if (input.byteLength === 0) throw new InvalidImageError("empty", EMPTY_FILE);
  const format = sniffFormat(input);
  if (!format) throw new InvalidImageError("not-an-image", UNSUPPORTED_FORMAT);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const rendering = format === "svg" ? await vectorRendering(input, size, maxPixels) : undefined;

  let decoded: { data: Buffer; info: OutputInfo };
  try {
    const pipeline = sharp(input, {
      failOn: "warning",
      // A vector's declared canvas is never rasterized; its rendering was held to the limit above.
      limitInputPixels: rendering ? false : maxPixels,
      pages: 1,
      page: 0,
    }).timeout({ seconds: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS });
    if (mayBeOriented(input, format)) pipeline.autoOrient();
    // sharp renders an SVG at the requested size (librsvg's scale), not at its declared size.
    if (rendering) pipeline.resize({ ...rendering, fit: "fill" });
    decoded = await pipeline
      .toColourspace("srgb")
      .ensureAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw await decodeFailure(error, input, format, maxPixels);
  }
  const { width: sourceWidth, height: sourceHeight, channels } = decoded.info;
  if (channels !== 4) throw new Error(`decoder returned ${channels} channels, expected 4`);
  const scale = Math.min(1, size / Math.max(sourceWidth, sourceHeight));
  const width = Math.max(1, Math.round(sourceWidth * scale));
  const height = Math.max(1, Math.round(sourceHeight * scale));
  const pixels = resampleArea(decoded.data, sourceWidth, sourceHeight, width, height);
  return { png: await encodePng(pixels, width, height), width, height, format };
}

/** Byte strings without which a PNG carries no EXIF: its eXIf chunk, or a text chunk's "Raw profile type exif". */
const PNG_EXIF_MARKERS = ["eXIf", "exif", "EXIF"];

/**
 * Whether the source may carry an EXIF orientation. Orienting costs libvips a copy of every image;
 * a PNG whose bytes hold no EXIF marker has no orientation to apply.
 */
function mayBeOriented(input: Uint8Array, format: SourceFormat): boolean {
  if (format !== "png") return true;
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return PNG_EXIF_MARKERS.some((marker) => bytes.includes(marker, 0, "latin1"));
}

/**
 * The size an SVG is rendered at: its longer side at `size` (at most MAX_VECTOR_SCALE times its
 * declared size), refused when that rendering would exceed the pixel limit. The declared canvas
 * itself may be any size: reading it renders nothing.
 */
async function vectorRendering(
  input: Uint8Array,
  size: number,
  maxPixels: number,
): Promise<{ width: number; height: number }> {
  assertSafeSvg(input);
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { failOn: "warning", limitInputPixels: false }).metadata();
  } catch (error) {
    throw await decodeFailure(error, input, "svg", maxPixels);
  }
  const declaredWidth = metadata.width ?? 0;
  const declaredHeight = metadata.height ?? 0;
  const longer = Math.max(declaredWidth, declaredHeight);
  // librsvg itself refuses a zero size and sizes an unsized SVG at 100 × 100: kept as a guard.
  if (longer === 0) throw new InvalidImageError("corrupt", "the SVG has no size");
  const scale = Math.min(size / longer, MAX_VECTOR_SCALE);
  const width = Math.max(1, Math.round(declaredWidth * scale));
  const height = Math.max(1, Math.round(declaredHeight * scale));
  if (width * height > maxPixels) {
    throw new InvalidImageError(
      "too-many-pixels",
      `the SVG would render at ${width}×${height}, over the ${maxPixels}-pixel limit`,
    );
  }
  return { width, height };
}

/** One libvips thread per image and no operation cache: callers run small images in parallel. */
sharp.concurrency(1);
sharp.cache(false);
