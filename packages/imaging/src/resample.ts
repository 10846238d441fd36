/**
 * Area-average downscaling of 8-bit RGBA pixels: every output pixel is the mean of the source area
 * it covers (exact fractional coverage, like OpenCV's INTER_AREA), computed on premultiplied alpha
 * so transparent pixels add no colour fringe. For shrinking, which is all icons need, it is
 * alias-free and cheap: two separable passes over the source.
 */
export function resampleArea(
  source: Uint8Array,
  sourceWidth: number,
  sourceHeight: number,
  width: number,
  height: number,
): Uint8Array {
  if (width > sourceWidth || height > sourceHeight) throw new RangeError("resampleArea only shrinks");
  if (width === sourceWidth && height === sourceHeight) return source;
  if (sourceWidth % width === 0 && sourceHeight % height === 0) {
    return shrinkByWholeFactors(
      source,
      sourceWidth,
      width,
      height,
      sourceWidth / width,
      sourceHeight / height,
    );
  }
  return averageByCoverage(source, sourceWidth, sourceHeight, width, height);
}

/** The general case: exact fractional coverage in two separable passes over premultiplied pixels. */
export function averageByCoverage(
  source: Uint8Array,
  sourceWidth: number,
  sourceHeight: number,
  width: number,
  height: number,
): Uint8Array {
  const premultiplied = new Float32Array(sourceWidth * sourceHeight * 4);
  for (let i = 0; i < premultiplied.length; i += 4) {
    const alpha = (source[i + 3] as number) / 255;
    premultiplied[i] = (source[i] as number) * alpha;
    premultiplied[i + 1] = (source[i + 1] as number) * alpha;
    premultiplied[i + 2] = (source[i + 2] as number) * alpha;
    premultiplied[i + 3] = source[i + 3] as number;
  }
  // Horizontal pass: sourceHeight rows of `width` samples; then vertical: `height` rows.
  const horizontal = new Float32Array(width * sourceHeight * 4);
  const columns = coverage(sourceWidth, width);
  for (let y = 0; y < sourceHeight; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const { first, weights } = columns[x] as Span;
      accumulate(premultiplied, (y * sourceWidth + first) * 4, 4, weights, horizontal, (y * width + x) * 4);
    }
  }
  const result = new Float32Array(width * height * 4);
  const rows = coverage(sourceHeight, height);
  for (let y = 0; y < height; y += 1) {
    const { first, weights } = rows[y] as Span;
    for (let x = 0; x < width; x += 1) {
      accumulate(horizontal, (first * width + x) * 4, width * 4, weights, result, (y * width + x) * 4);
    }
  }

  const output = new Uint8Array(width * height * 4);
  for (let i = 0; i < output.length; i += 4) {
    const alpha = result[i + 3] as number;
    const unpremultiply = alpha > 0 ? 255 / alpha : 0;
    output[i] = clamp((result[i] as number) * unpremultiply);
    output[i + 1] = clamp((result[i + 1] as number) * unpremultiply);
    output[i + 2] = clamp((result[i + 2] as number) * unpremultiply);
    output[i + 3] = clamp(alpha);
  }
  return output;
}

/**
 * The same average when each output pixel covers a whole block of source pixels (96 → 16, 128 →
 * 32, …): one fused pass, no intermediate buffers. Colour is weighted by alpha, as above.
 */
function shrinkByWholeFactors(
  source: Uint8Array,
  sourceWidth: number,
  width: number,
  height: number,
  factorX: number,
  factorY: number,
): Uint8Array {
  const output = new Uint8Array(width * height * 4);
  const area = factorX * factorY;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let dy = 0; dy < factorY; dy += 1) {
        let offset = ((y * factorY + dy) * sourceWidth + x * factorX) * 4;
        for (let dx = 0; dx < factorX; dx += 1, offset += 4) {
          const alpha = source[offset + 3] as number;
          r += (source[offset] as number) * alpha;
          g += (source[offset + 1] as number) * alpha;
          b += (source[offset + 2] as number) * alpha;
          a += alpha;
        }
      }
      const at = (y * width + x) * 4;
      output[at] = a > 0 ? clamp(r / a) : 0;
      output[at + 1] = a > 0 ? clamp(g / a) : 0;
      output[at + 2] = a > 0 ? clamp(b / a) : 0;
      output[at + 3] = clamp(a / area);
    }
  }
  return output;
}

/** Source indices one output sample covers and the share of each (the shares sum to 1). */
interface Span {
  first: number;
  weights: Float32Array;
}

/** Icons come in few sizes, so the spans of each (source, target) pair are computed once. */
const spans = new Map<string, Span[]>();

function coverage(sourceLength: number, length: number): Span[] {
  const key = `${sourceLength}:${length}`;
  const cached = spans.get(key);
  if (cached) return cached;
  const scale = sourceLength / length;
  const computed = Array.from({ length }, (_, index) => {
    const start = index * scale;
    const end = start + scale;
    const first = Math.floor(start);
    const last = Math.min(sourceLength, Math.ceil(end));
    const weights = new Float32Array(last - first);
    for (let source = first; source < last; source += 1) {
      weights[source - first] = (Math.min(end, source + 1) - Math.max(start, source)) / scale;
    }
    return { first, weights };
  });
  if (spans.size < 1024) spans.set(key, computed);
  return computed;
}

/** Weighted sum of `weights.length` RGBA samples starting at `from[start]`, `step` apart, into `to[at]`. */
function accumulate(
  from: Float32Array,
  start: number,
  step: number,
  weights: Float32Array,
  to: Float32Array,
  at: number,
): void {
  let r = 0;
  let g = 0;
  let b = 0;
  let a = 0;
  for (let k = 0, offset = start; k < weights.length; k += 1, offset += step) {
    const weight = weights[k] as number;
    r += (from[offset] as number) * weight;
    g += (from[offset + 1] as number) * weight;
    b += (from[offset + 2] as number) * weight;
    a += (from[offset + 3] as number) * weight;
  }
  to[at] = r;
  to[at + 1] = g;
  to[at + 2] = b;
  to[at + 3] = a;
}

function clamp(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}
