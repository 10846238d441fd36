/**
 * Why a source is refused, as a stable code. The codes, not the decoder's wording, are the
 * contract: dead letters, the worker's log lines and `pnpm resize --json` carry them, and the
 * same source gets the same code at every size (docs/architecture.md, "Key layout and output format").
 */
export const REFUSAL_CODES = [
  /** Zero bytes. */
  "empty",
  /** No format the resizer reads (PDF, HTML, text, …), decided by the leading bytes. */
  "not-an-image",
  /** The data stops before the format's end (a cut-off upload or copy). */
  "truncated",
  /** The data is complete but damaged or not decodable (checksum mismatch, bad structure). */
  "corrupt",
  /** More pixels than the limit (a pixel bomb or absurd dimensions), or an SVG that would render that large. */
  "too-many-pixels",
  /** More bytes than the limit. */
  "too-many-bytes",
  /** An SVG that reaches outside the file (href, url(), @import). */
  "svg-external-reference",
  /** An SVG that declares XML entities (entity expansion, XXE). */
  "svg-entities",
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** The source cannot become an icon however often it is retried: it needs a person. */
export class InvalidImageError extends Error {
  override name = "InvalidImageError";
  readonly permanent = true;

  /**
   * @param code what is wrong, stable across sizes and library versions
   * @param message what is wrong in words, e.g. `the PNG data ends early`
   * @param detail the decoder's own text, when it had one (it varies; never match on it)
   */
  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }

  /** Code and message in one string, e.g. `truncated: the PNG data ends early`. */
  get reason(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** True for errors that retrying cannot fix (invalid input); everything else is transient. */
export function isPermanent(error: unknown): boolean {
  return error instanceof Error && (error as { permanent?: unknown }).permanent === true;
}
