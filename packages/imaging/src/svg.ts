import { InvalidImageError } from "./errors.js";

/** Bytes of an SVG source checked before rendering; larger SVGs are refused. */
export const MAX_SVG_BYTES = 1024 * 1024;

/** Leading bytes that identify an SVG (optionally after an XML declaration, comments or a BOM). */
export function looksLikeSvg(input: Uint8Array): boolean {
  const head = Buffer.from(input.subarray(0, 4096))
    .toString("utf8")
    .replace(/^\uFEFF/, "")
    .trimStart();
  return (
    /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(head) ||
    /<svg[\s>]/i.test(head)
  );
}

/**
 * Refuses SVG features that reach outside the file or expand without bound: a DOCTYPE with
 * entities (billion laughs, XXE), and references to anything but fragments or data: URLs
 * (`href`, `xlink:href`, CSS `url()`, `@import`). The renderer is not asked to be careful; it is
 * never given such input.
 */
export function assertSafeSvg(input: Uint8Array): void {
  if (input.byteLength > MAX_SVG_BYTES)
    throw new InvalidImageError("too-many-bytes", `the SVG is over the ${MAX_SVG_BYTES}-byte limit for SVGs`);
  const text = Buffer.from(input).toString("utf8");
  if (/<!ENTITY/i.test(text) || /<!DOCTYPE[^>]*\[/i.test(text)) {
    throw new InvalidImageError("svg-entities", "the SVG declares XML entities");
  }
  for (const match of text.matchAll(/\b(?:xlink:)?href\s*=\s*(["'])(.*?)\1/gi)) {
    if (!isLocalReference(match[2] ?? "")) {
      throw externalReference(match[2] ?? "");
    }
  }
  for (const match of text.matchAll(/url\(\s*(["']?)(.*?)\1\s*\)/gi)) {
    if (!isLocalReference(match[2] ?? "")) {
      throw externalReference(match[2] ?? "");
    }
  }
  if (/@import/i.test(text))
    throw new InvalidImageError("svg-external-reference", "the SVG imports a stylesheet");
}

function externalReference(reference: string): InvalidImageError {
  return new InvalidImageError(
    "svg-external-reference",
    `the SVG references an external resource: ${truncate(reference)}`,
  );
}

function isLocalReference(reference: string): boolean {
  const value = reference.trim();
  return value === "" || value.startsWith("#") || /^data:/i.test(value);
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
