export { InvalidImageError, isPermanent, REFUSAL_CODES, type RefusalCode } from "./errors.js";
export { encodePng, pngChunk } from "./png.js";
export { RENDER_VERSION } from "./render-version.js";
export { resampleArea } from "./resample.js";
export {
  DEFAULT_MAX_PIXELS,
  DEFAULT_TIMEOUT_SECONDS,
  EMPTY_FILE,
  type ResizedIcon,
  type ResizeOptions,
  resizeIcon,
  UNSUPPORTED_FORMAT,
} from "./resize-icon.js";
export { type SourceFormat, sniffFormat } from "./sniff.js";
export { assertSafeSvg, looksLikeSvg } from "./svg.js";
