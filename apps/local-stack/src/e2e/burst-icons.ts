import sharp from "sharp";

/** `count` small PNGs of distinct colours (distinct bytes up to 65,536), keyed `<prefix>/000.png`…, for a burst of uploads. */
export async function burstIcons(prefix: string, count: number): Promise<Map<string, Buffer>> {
  const icons = new Map<string, Buffer>();
  const digits = String(count - 1).length;
  for (let n = 0; n < count; n += 1) {
    const background = { r: n % 256, g: Math.floor(n / 256) % 256, b: 200, alpha: 1 };
    const png = await sharp({ create: { width: 48, height: 40, channels: 4, background } })
      .png()
      .toBuffer();
    icons.set(`${prefix}/${String(n).padStart(Math.max(3, digits), "0")}.png`, png);
  }
  return icons;
}
