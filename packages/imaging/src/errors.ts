/** The source cannot become an icon however often it is retried: it needs a person. */
export class InvalidImageError extends Error {
  override name = "InvalidImageError";
  readonly permanent = true;
}

/** True for errors that retrying cannot fix (invalid input); everything else is transient. */
export function isPermanent(error: unknown): boolean {
  return error instanceof Error && (error as { permanent?: unknown }).permanent === true;
}

/** libvips messages that mean the work was cut short, not that the input is bad. */
const TRANSIENT = /timeout|out of memory|cannot allocate|unable to allocate|ENOMEM|EMFILE/i;

/**
 * Classifies an error sharp raised while decoding or processing a source. Decoding errors are the
 * input's fault (corrupt, truncated, unsupported, over a limit); timeouts and allocation failures
 * are not, and stay transient so a retry on a healthier task can succeed.
 */
export function classifySharpError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (TRANSIENT.test(message)) return error instanceof Error ? error : new Error(message);
  return new InvalidImageError(firstLine(message));
}

function firstLine(message: string): string {
  return (
    message
      .split("\n")
      .find((line) => line.trim() !== "")
      ?.trim() ?? "image could not be decoded"
  );
}
