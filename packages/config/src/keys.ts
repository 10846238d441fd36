/**
 * The one key layout (DESIGN §4): `icons/a/b.png` → `icons-size-16/a/b.png`,
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

/** Groups of source keys that map to the same output (at any size), for tools that upload many keys. */
export function outputCollisions(
  sourceKeys: Iterable<string>,
  layout: KeyLayout = DEFAULT_KEY_LAYOUT,
): string[][] {
  const byOutput = new Map<string, string[]>();
  for (const key of sourceKeys) {
    const output = outputKey(key, 1, layout);
    byOutput.set(output, [...(byOutput.get(output) ?? []), key]);
  }
  return [...byOutput.values()].filter((keys) => keys.length > 1);
}
