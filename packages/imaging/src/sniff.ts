import { looksLikeSvg } from "./svg.js";

export type SourceFormat = "png" | "jpeg" | "gif" | "webp" | "tiff" | "heif" | "svg";

const HEIF_BRANDS = new Set(["avif", "avis", "heic", "heix", "hevc", "hevx", "mif1", "msf1"]);

/**
 * The format of a source by its leading bytes, or undefined for anything that is not an accepted
 * icon format (PDF, HTML, text, archives, …). Deciding here keeps sharp's other loaders out of reach.
 */
export function sniffFormat(input: Uint8Array): SourceFormat | undefined {
  const bytes = Buffer.from(input.buffer, input.byteOffset, Math.min(input.byteLength, 32));
  const ascii = (start: number, end: number) => bytes.toString("latin1", start, end);
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a)
    return "png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return "gif";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "webp";
  if (ascii(0, 4) === "II*\0" || ascii(0, 4) === "MM\0*") return "tiff";
  if (ascii(4, 8) === "ftyp" && HEIF_BRANDS.has(ascii(8, 12))) return "heif";
  if (looksLikeSvg(input)) return "svg";
  return undefined;
}
