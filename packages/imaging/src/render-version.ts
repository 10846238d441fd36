/**
 * The version of what `resizeIcon` renders. Increase it whenever a change (to this package, sharp or
 * libvips) changes the pixels of any output, so `iconctl backfill --stale` can find the outputs an
 * older resizer made; render-version.test.ts fails until it is increased.
 */
export const RENDER_VERSION = 1;
