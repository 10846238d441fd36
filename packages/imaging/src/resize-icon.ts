import sharp, { type Metadata } from "sharp";
import { classifySharpError, InvalidImageError } from "./errors.js";
import { assertSafeSvg, looksLikeSvg } from "./svg.js";

export interface ResizeOptions {
  /** The output fits inside size × size. */
  size: number;
  /**
   * Sources with more pixels (width × height) are refused as invalid, before decoding.
   * @default 16_777_216 (4096 × 4096: far beyond any icon, far below a pixel bomb)
   */
  maxPixels?: number;
  /**
   * Seconds libvips may spend on one image before the work is abandoned (a transient failure).
   * @default 10
   */
  timeoutSeconds?: number;
}

export interface ResizedIcon {
  png: Buffer;
  width: number;
  height: number;
  /** The decoded source format, e.g. `png`, `jpeg`, `svg`. */
  format: string;
}

export const DEFAULT_MAX_PIXELS = 4096 * 4096;
export const DEFAULT_TIMEOUT_SECONDS = 10;

/** Formats accepted as icon sources; anything else sharp can read (PDF, raw, …) is refused. */
const ACCEPTED_FORMATS = new Set(["png", "jpeg", "webp", "gif", "svg", "tiff", "avif", "heif"]);

/**
 * Resizes one icon: PNG out, fitting inside size × size with the aspect ratio kept, never
 * enlarged, EXIF orientation applied, the first frame of an animation only, vector sources
 * rendered at the target size. Throws `InvalidImageError` (permanent) for input that cannot become
 * an icon, and other errors (transient) when the work itself failed.
 */
export async function resizeIcon(input: Uint8Array, options: ResizeOptions): Promise<ResizedIcon> {
  const { size } = options;
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    throw new RangeError(`size must be an integer between 1 and 4096, got ${size}`);
  }
  if (input.byteLength === 0) throw new InvalidImageError("empty file");
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const svg = looksLikeSvg(input);
  if (svg) assertSafeSvg(input);

  const decode = { failOn: "warning", limitInputPixels: maxPixels, pages: 1, page: 0 } as const;
  let metadata: Metadata;
  try {
    metadata = await sharp(input, decode).metadata();
  } catch (error) {
    throw classifySharpError(error);
  }
  const format = metadata.format ?? "unknown";
  if (!ACCEPTED_FORMATS.has(format)) throw new InvalidImageError(`unsupported image format: ${format}`);
  if (!metadata.width || !metadata.height) throw new InvalidImageError("image has no dimensions");
  if (metadata.width * metadata.height > maxPixels) {
    throw new InvalidImageError(
      `image is ${metadata.width}×${metadata.height}, over the ${maxPixels}-pixel limit`,
    );
  }

  // Vectors are rendered at the density that makes their longer side the target size.
  const density =
    format === "svg" ? Math.min(72 * (size / Math.max(metadata.width, metadata.height)), 72 * 64) : undefined;
  try {
    const { data, info } = await sharp(input, { ...decode, ...(density ? { density } : {}) })
      .timeout({ seconds: options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS })
      .autoOrient()
      .resize(size, size, { fit: "inside", withoutEnlargement: format !== "svg" })
      .toColourspace("srgb")
      .png({ compressionLevel: 9, adaptiveFiltering: true })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height, format: svg ? "svg" : format };
  } catch (error) {
    throw classifySharpError(error);
  }
}

/** One libvips thread per image: the callers run images in parallel, which suits small icons. */
sharp.concurrency(1);
