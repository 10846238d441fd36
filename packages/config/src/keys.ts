/**
 * The one key layout (docs/architecture.md, "Key layout and output format"):
 * `icons/a/b.png` → `icons-size-16/a/b.png`,
 * `icons/logo.svg` → `icons-size-16/logo.svg.png`.
 */

export interface KeyLayout {
  /** Where designers upload; must end in `/`. */
  inputPrefix: string;
  /** Outputs for size N go under `${outputPrefix}${N}/`. */
  outputPrefix: string;
}

export const DEFAULT_KEY_LAYOUT: Readonly<KeyLayout> = Object.freeze({
  inputPrefix: "icons/",
  outputPrefix: "icons-size-",
});

/** The prefix every output of `size` is written under, e.g. `icons-size-16/`. */
export function outputPrefixFor(size: number, layout: KeyLayout = DEFAULT_KEY_LAYOUT): string {
  return `${layout.outputPrefix}${size}/`;
}

export function isInputKey(key: string, layout: KeyLayout = DEFAULT_KEY_LAYOUT): boolean {
  return key.startsWith(layout.inputPrefix) && key.length > layout.inputPrefix.length && !key.endsWith("/");
}

/**
 * The output key for a source key at one size: `.png` is appended unless the key already ends in
 * `.png` (any case). The one collision this rule allows is `x` beside `x.png` (e.g. `logo.svg` and
 * `logo.svg.png`): both map to `x.png`; `twinSource` names the other one and which is preferred.
 */
export function outputKey(sourceKey: string, size: number, layout: KeyLayout = DEFAULT_KEY_LAYOUT): string {
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    throw new RangeError(`size must be an integer between 1 and 4096, got ${size}`);
  }
  if (!isInputKey(sourceKey, layout)) {
    throw new RangeError(
      `source key ${JSON.stringify(sourceKey)} is not an object under ${layout.inputPrefix}`,
    );
  }
  const relative = sourceKey.slice(layout.inputPrefix.length);
  const name = /\.png$/i.test(relative) ? relative : `${relative}.png`;
  return `${outputPrefixFor(size, layout)}${name}`;
}

/** The other source key that maps to the same output as a given one (see `twinSource`). */
export interface TwinSource {
  key: string;
  /** True when the twin, not the given key, is the source the output is rendered from while it exists. */
  preferred: boolean;
}

/**
 * The twin of a source key: `icons/x` for `icons/x.png` and the reverse, or undefined when no other
 * key maps to the same output. Of two twins the preferred source is the one ending in `.png`, whose
 * name the output carries (`icons-size-N/x.png` is the render of `icons/x.png`); `icons/x` is
 * rendered there only while `icons/x.png` does not exist.
 */
export function twinSource(
  sourceKey: string,
  layout: KeyLayout = DEFAULT_KEY_LAYOUT,
): TwinSource | undefined {
  if (sourceKey.endsWith(".png")) {
    const key = sourceKey.slice(0, -".png".length);
    return isInputKey(key, layout) && !/\.png$/i.test(key) ? { key, preferred: false } : undefined;
  }
  if (/\.png$/i.test(sourceKey)) return undefined;
  return { key: `${sourceKey}.png`, preferred: true };
}

/** A source named in one run that makes no output, and the one that makes its outputs instead. */
export interface LeftOutSource<T> {
  item: T;
  winner: T;
  /** `twin`: the winner is its twin ending in `.png`; `same-key`: the winner was named earlier with the same key. */
  why: "twin" | "same-key";
}

/**
 * Decides which of the sources named in one run (`iconctl upload`, `pnpm resize`) makes each
 * output, by the rule the resizer applies to the bucket: of twins `x` and `x.png` the preferred
 * one (`twinSource`) wins whatever order they were named in; of two files given the same key, the
 * first named wins. `kept` is in the order given.
 */
export function claimOutputs<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  layout: KeyLayout = DEFAULT_KEY_LAYOUT,
): { kept: T[]; leftOut: LeftOutSource<T>[] } {
  const keys = items.map(keyOf);
  const outputs = keys.map((key) => outputKey(key, 1, layout));
  /** Per output, the index of the source that makes it. */
  const owners = new Map<string, number>();
  keys.forEach((key, index) => {
    const owner = owners.get(outputs[index] as string);
    const beatsOwner =
      owner !== undefined && keys[owner] !== key && twinSource(key, layout)?.preferred === false;
    if (owner === undefined || beatsOwner) owners.set(outputs[index] as string, index);
  });
  const kept: T[] = [];
  const leftOut: LeftOutSource<T>[] = [];
  items.forEach((item, index) => {
    const owner = owners.get(outputs[index] as string) as number;
    if (owner === index) kept.push(item);
    else
      leftOut.push({
        item,
        winner: items[owner] as T,
        why: keys[owner] === keys[index] ? "same-key" : "twin",
      });
  });
  return { kept, leftOut };
}

/** Why a source was left out, in words, naming the source that makes its outputs as `nameOf` shows it. */
export function leftOutReason<T>(left: LeftOutSource<T>, nameOf: (item: T) => string): string {
  return left.why === "twin"
    ? `its twin ${nameOf(left.winner)} makes the same outputs and wins (of x and x.png, x.png does)`
    : `${nameOf(left.winner)} has the same key and was named first`;
}
