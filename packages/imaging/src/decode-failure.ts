import sharp from "sharp";
import { findDamage } from "./damage.js";
import { InvalidImageError } from "./errors.js";
import type { SourceFormat } from "./sniff.js";

/** How refusals name each format. */
const FORMAT_NAMES: Readonly<Record<SourceFormat, string>> = {
  png: "PNG",
  jpeg: "JPEG",
  gif: "GIF",
  webp: "WebP",
  tiff: "TIFF",
  heif: "AVIF/HEIF",
  svg: "SVG",
};

/** libvips messages that mean the work was cut short, not that the input is bad. */
const TRANSIENT = /timeout|out of memory|cannot allocate|unable to allocate|ENOMEM|EMFILE/i;

/**
 * What a failed decode means, decided from the source's bytes, not from libvips' text: libvips
 * keeps one error buffer per process, so under concurrency a failure can carry another image's
 * message (the same truncated PNG read "libpng read error" at one size and "Warning treated as
 * error" at another). Over the pixel limit, truncated or damaged is refused whatever the text
 * says; intact data that failed with a timeout or an allocation failure stays transient; anything
 * else is refused as undecodable. The text is kept as the refusal's detail.
 */
export async function decodeFailure(
  error: unknown,
  input: Uint8Array,
  format: SourceFormat,
  maxPixels: number,
): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  const text = firstLine(message);
  const name = FORMAT_NAMES[format];
  const pixels = format === "svg" ? undefined : await declaredSize(input);
  if (pixels && pixels.width * pixels.height > maxPixels) {
    return new InvalidImageError(
      "too-many-pixels",
      `the image is ${pixels.width}×${pixels.height}, over the ${maxPixels}-pixel limit`,
    );
  }
  const damage = findDamage(input, format);
  if (damage === "truncated") return new InvalidImageError("truncated", `the ${name} data ends early`, text);
  if (damage === "corrupt") return new InvalidImageError("corrupt", `the ${name} data is corrupt`, text);
  if (TRANSIENT.test(message)) return error instanceof Error ? error : new Error(text);
  return new InvalidImageError("corrupt", `the ${name} data cannot be decoded`, text);
}

/** Width and height from the header alone (nothing is decoded), or undefined when unreadable. */
async function declaredSize(input: Uint8Array): Promise<{ width: number; height: number } | undefined> {
  const metadata = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch(() => undefined);
  return metadata?.width && metadata.height ? { width: metadata.width, height: metadata.height } : undefined;
}

function firstLine(message: string): string {
  return (
    message
      .split("\n")
      .find((line) => line.trim() !== "")
      ?.trim() ?? "image could not be decoded"
  );
}
