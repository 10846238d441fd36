import { crc32 } from "node:zlib";
import type { SourceFormat } from "./sniff.js";

/** What is wrong with a source's bytes, read from its container structure alone. */
export type Damage = "truncated" | "corrupt";

/**
 * Walks the container of a source the decoder failed on and says whether its data ends early or
 * is damaged, or undefined when the structure looks whole (or the format is not walked here).
 * Only run after a failure: it reads every chunk header and, for PNG, checks every checksum.
 */
export function findDamage(input: Uint8Array, format: SourceFormat): Damage | undefined {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  switch (format) {
    case "png":
      return pngDamage(bytes);
    case "jpeg":
      return jpegDamage(bytes);
    case "gif":
      return bytes[bytes.length - 1] === 0x3b ? undefined : "truncated";
    case "webp":
      return bytes.length >= 8 && bytes.readUInt32LE(4) + 8 > bytes.length ? "truncated" : undefined;
    case "heif":
      return boxDamage(bytes);
    default:
      return undefined;
  }
}

const PNG_IEND = Buffer.from("0000000049454e44ae426082", "hex");

/** PNG: chunks of length, type, data and CRC, up to IEND. */
function pngDamage(bytes: Buffer): Damage | undefined {
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    // A chunk running past the end of a file that still ends in IEND had its length damaged.
    if (end > bytes.length) return endsWith(bytes, PNG_IEND) ? "corrupt" : "truncated";
    if (crc32(bytes.subarray(at + 4, end - 4)) !== bytes.readUInt32BE(end - 4)) return "corrupt";
    if (bytes.toString("latin1", at + 4, at + 8) === "IEND") return undefined;
    at = end;
  }
  return "truncated";
}

const JPEG_EOI = 0xd9;
const JPEG_SOS = 0xda;

/** JPEG: marker segments, entropy-coded data after each SOS, until EOI. */
function jpegDamage(bytes: Buffer): Damage | undefined {
  let at = 2;
  while (at + 2 <= bytes.length) {
    if (bytes[at] !== 0xff) return "corrupt";
    const marker = bytes[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === JPEG_EOI) return undefined;
    if (isStandalone(marker)) {
      at += 2;
      continue;
    }
    if (at + 4 > bytes.length) return "truncated";
    const end = at + 2 + bytes.readUInt16BE(at + 2);
    if (end > bytes.length) return "truncated";
    at = marker === JPEG_SOS ? afterEntropyData(bytes, end) : end;
  }
  return "truncated";
}

/** RSTn, SOI and TEM carry no length. */
function isStandalone(marker: number): boolean {
  return (marker >= 0xd0 && marker <= 0xd8) || marker === 0x01;
}

/** The next marker after entropy-coded data: 0xFF followed by neither a stuffed 0x00 nor RSTn. */
function afterEntropyData(bytes: Buffer, start: number): number {
  for (let at = bytes.indexOf(0xff, start); at !== -1; at = bytes.indexOf(0xff, at + 1)) {
    const next = bytes[at + 1];
    if (next === undefined) return bytes.length;
    if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) return at;
  }
  return bytes.length;
}

/** AVIF/HEIF: top-level ISO BMFF boxes of size and type (size 1: 64-bit size follows; 0: to the end). */
function boxDamage(bytes: Buffer): Damage | undefined {
  let at = 0;
  while (at + 8 <= bytes.length) {
    const size = bytes.readUInt32BE(at);
    if (size === 0) return undefined;
    if (size === 1 && at + 16 > bytes.length) return "truncated";
    const length = size === 1 ? Number(bytes.readBigUInt64BE(at + 8)) : size;
    if (length < 8) return "corrupt";
    if (at + length > bytes.length) return "truncated";
    at += length;
  }
  return at === bytes.length ? undefined : "truncated";
}

function endsWith(bytes: Buffer, tail: Buffer): boolean {
  return bytes.length >= tail.length && bytes.subarray(bytes.length - tail.length).equals(tail);
}
