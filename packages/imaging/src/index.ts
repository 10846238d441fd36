export { classifySharpError, InvalidImageError, isPermanent } from "./errors.js";
export {
  DEFAULT_MAX_PIXELS,
  DEFAULT_TIMEOUT_SECONDS,
  type ResizedIcon,
  type ResizeOptions,
  resizeIcon,
} from "./resize-icon.js";
export { assertSafeSvg, looksLikeSvg } from "./svg.js";
