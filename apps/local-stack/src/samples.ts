/** The repository's sample icons, relative to its root: what `pnpm local` uploads. */
export const SAMPLE_ICONS_DIR = "samples/icons";
