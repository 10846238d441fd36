import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidImageError, isPermanent, type RefusalCode } from "./errors.js";
import { EMPTY_FILE, resizeIcon, UNSUPPORTED_FORMAT } from "./resize-icon.js";
import { corpus, hostileImages, unusualImages } from "./test-images.js";

const solidPng = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: "#c82" } })
    .png()
    .toBuffer();

describe("the corpus", () => {
  const icons = corpus();

  it("is the repository's test icons, each a square of 96 or 128 px", () => {
    expect(icons.length).toBeGreaterThanOrEqual(100);
    const sides = icons.map(({ bytes }) => [bytes.readUInt32BE(16), bytes.readUInt32BE(20)]);
    expect(sides.filter(([width, height]) => width !== height || (width !== 96 && width !== 128))).toEqual(
      [],
    );
  });

  // Every icon resized and decoded per size: allow for a machine busy with other work.
  it.each([16, 32, 64])("every icon becomes a %i px square PNG", { timeout: 60_000 }, async (size) => {
    for (const { name, bytes } of icons) {
      const result = await resizeIcon(bytes, { size });
      const output = await sharp(result.png).metadata();
      expect([output.format, output.width, output.height], name).toEqual(["png", size, size]);
      expect([result.width, result.height], name).toEqual([size, size]);
    }
  });

  it("never enlarges: a 96 px icon asked for 128 stays 96", async () => {
    const icon = icons.find(({ bytes }) => bytes.readUInt32BE(16) === 96);
    const result = await resizeIcon(icon?.bytes ?? Buffer.alloc(0), { size: 128 });
    expect([result.width, result.height]).toEqual([96, 96]);
  });

  it("keeps transparency", async () => {
    const result = await resizeIcon(icons[0]?.bytes ?? Buffer.alloc(0), { size: 16 });
    expect((await sharp(result.png).metadata()).hasAlpha).toBe(true);
  });
});

describe("unusual but valid sources", () => {
  let images: Awaited<ReturnType<typeof unusualImages>>;
  beforeAll(async () => {
    images = await unusualImages();
  });

  it.each([
    ["an animated GIF (3 frames of 32 × 32)", 16, 16],
    ["a CMYK JPEG", 16, 8],
    ["a 16-bit PNG", 16, 16],
    ["a palette PNG", 8, 16],
    ["a 1 × 1 PNG", 1, 1],
    ["a very wide PNG (4000 × 10)", 16, 1],
    ["a WebP", 16, 12],
    ["a JPEG rotated by EXIF (stored 40 × 20, shown 20 × 40)", 8, 16],
    ["a PNG rotated by EXIF (stored 40 × 20, shown 20 × 40)", 8, 16],
  ])("%s becomes an 8-bit sRGB PNG of %i × %i at 16 px", async (name, width, height) => {
    const image = images[name];
    if (!image) throw new Error(`no image ${name}`);
    const result = await resizeIcon(image.bytes, { size: 16 });
    const output = await sharp(result.png).metadata();
    expect(output).toMatchObject({ format: "png", space: "srgb", depth: "uchar", width, height });
    expect(output.pages ?? 1).toBe(1);
  });

  it("takes the first frame of an animation, not the strip of frames", async () => {
    const image = images["an animated GIF (3 frames of 32 × 32)"];
    const result = await resizeIcon(image?.bytes ?? Buffer.alloc(0), { size: 32 });
    expect([result.width, result.height]).toEqual([32, 32]);
    const { data } = await sharp(result.png).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBe(0); // frame 0 is black in the red channel; frames 1 and 2 are not
  });

  it("renders a vector at the target size, even above its intrinsic size", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="5" viewBox="0 0 10 5"><rect width="10" height="5" fill="#0a0"/></svg>',
    );
    const result = await resizeIcon(svg, { size: 64 });
    expect([result.width, result.height, result.format]).toEqual([64, 32, "svg"]);
  });

  it.each([16, 64])(
    "renders an SVG declaring a 100000 × 100000 canvas at %i px: the pixel limit applies to what is rendered",
    async (size) => {
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000" viewBox="0 0 2 2"><rect width="1" height="2" fill="#f00"/><rect x="1" width="1" height="2" fill="#00f"/></svg>',
      );
      const result = await resizeIcon(svg, { size });
      expect([result.width, result.height, result.format]).toEqual([size, size, "svg"]);
      const { data } = await sharp(result.png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([...data.subarray(0, 4)]).toEqual([255, 0, 0, 255]); // left half red
      expect([...data.subarray((size - 1) * 4, size * 4)]).toEqual([0, 0, 255, 255]); // right half blue
    },
  );

  it("refuses an SVG whose rendering at the target size would exceed the pixel limit", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><rect width="10" height="10"/></svg>',
    );
    await expect(resizeIcon(svg, { size: 64, maxPixels: 32 * 32 })).rejects.toThrow(
      "the SVG would render at 64×64, over the 1024-pixel limit",
    );
  });

  it("accepts an SVG with internal references and data URLs", async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs><rect width="20" height="20" fill="url(#g)"/><image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/></svg>',
    );
    await expect(resizeIcon(svg, { size: 16 })).resolves.toMatchObject({ width: 16, height: 16 });
  });
});

describe("hostile sources", () => {
  const SIZES = [16, 32, 64];
  const LIMIT = "16777216-pixel limit";
  // The code is the contract (dead letters, log lines, `pnpm resize --json`); the message says it in words.
  const REFUSALS: [string, RefusalCode, string][] = [
    ["zero bytes", "empty", EMPTY_FILE],
    ["plain text", "not-an-image", UNSUPPORTED_FORMAT],
    ["an HTML page", "not-an-image", UNSUPPORTED_FORMAT],
    ["a PDF", "not-an-image", UNSUPPORTED_FORMAT],
    ["a truncated PNG", "truncated", "the PNG data ends early"],
    ["a PNG header only", "truncated", "the PNG data ends early"],
    ["a PNG with a corrupt data chunk", "corrupt", "the PNG data is corrupt"],
    ["a PNG whose data chunk claims more bytes than the file has", "corrupt", "the PNG data is corrupt"],
    [
      "a pixel bomb (100000 × 100000 declared)",
      "too-many-pixels",
      `the image is 100000×100000, over the ${LIMIT}`,
    ],
    ["huge dimensions (8000 × 8000)", "too-many-pixels", `the image is 8000×8000, over the ${LIMIT}`],
    ["a truncated JPEG", "truncated", "the JPEG data ends early"],
    ["a JPEG cut short in its pixel data", "truncated", "the JPEG data ends early"],
    ["an animated GIF cut short in its first frame", "truncated", "the GIF data ends early"],
    ["a WebP cut short", "truncated", "the WebP data ends early"],
    [
      "SVG with an external image",
      "svg-external-reference",
      "the SVG references an external resource: file:///etc/passwd",
    ],
    [
      "SVG with a remote stylesheet",
      "svg-external-reference",
      "the SVG references an external resource: https://example.com/x.css",
    ],
    [
      "SVG with an xlink to another host",
      "svg-external-reference",
      "the SVG references an external resource: https://example.com/sprite.svg#a",
    ],
    ["SVG with entity expansion", "svg-entities", "the SVG declares XML entities"],
    ["an SVG over 1 MiB", "too-many-bytes", "the SVG is over the 1048576-byte limit for SVGs"],
    ["an SVG of zero size", "corrupt", "the SVG data cannot be decoded"],
    ["an SVG that is not well-formed XML", "corrupt", "the SVG data cannot be decoded"],
  ];
  let images: Record<string, Buffer>;
  /** Every hostile image at every size, all decoded at once, as a busy worker would. */
  const outcomes = new Map<string, unknown[]>();
  beforeAll(async () => {
    images = await hostileImages();
    await Promise.all(
      Object.entries(images).map(async ([name, bytes]) => {
        outcomes.set(
          name,
          await Promise.all(
            SIZES.map((size) =>
              resizeIcon(bytes, { size }).then(
                (icon) => icon,
                (caught: unknown) => caught,
              ),
            ),
          ),
        );
      }),
    );
  });

  it("names every hostile test image in the table below", () => {
    expect(Object.keys(images).sort()).toEqual(REFUSALS.map(([name]) => name).sort());
  });

  it.each(REFUSALS)(
    "%s is refused as %s at 16, 32 and 64 px, decoded beside other refused sources",
    (name, code, message) => {
      const errors = outcomes.get(name) ?? [];
      expect(errors).toHaveLength(SIZES.length);
      for (const error of errors) {
        expect(error).toBeInstanceOf(InvalidImageError);
        expect(isPermanent(error)).toBe(true);
        const refusal = error as InvalidImageError;
        expect([refusal.code, refusal.message, refusal.reason]).toEqual([
          code,
          message,
          `${code}: ${message}`,
        ]);
      }
    },
  );

  it("keeps the decoder's own text as the detail of what it refused", () => {
    const [refusal] = outcomes.get("a truncated PNG") as InvalidImageError[];
    expect(refusal?.detail).toMatch(/\S/);
    expect(refusal?.detail).not.toContain("\n");
  });

  it("honours a configured pixel limit, up to and including it", async () => {
    const atLimit = await resizeIcon(await solidPng(64, 64), { size: 16, maxPixels: 64 * 64 });
    expect([atLimit.width, atLimit.height]).toEqual([16, 16]);
    await expect(resizeIcon(await solidPng(65, 64), { size: 16, maxPixels: 64 * 64 })).rejects.toThrow(
      new InvalidImageError("too-many-pixels", "the image is 65×64, over the 4096-pixel limit"),
    );
  });

  it("refuses a size outside 1-4096 as a programming error, not as bad input", async () => {
    await expect(resizeIcon(Buffer.from("x"), { size: 0 })).rejects.toThrow(RangeError);
  });
});
