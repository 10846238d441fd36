import { iconsDir } from "@icon-fanout/test-icons";

/** The repository's sample icons (absolute path): what `pnpm local` uploads and the end-to-end suite checks. */
export const SAMPLE_ICONS_DIR: string = iconsDir;
