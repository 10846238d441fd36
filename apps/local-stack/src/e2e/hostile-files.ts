import { pngChunk } from "@icon-fanout/imaging";
import { loadIcons } from "@icon-fanout/test-icons";

/** A well-formed PNG header declaring `width` × `height` RGBA, with one empty data chunk. */
function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from("89504e470d0a1a0a", "hex"),
    pngChunk("IHDR", header),
    pngChunk("IDAT", Buffer.from("789c030000000001", "hex")),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

const anIcon = () => loadIcons()[0]?.bytes ?? Buffer.alloc(0);

/** Files no worker can turn into an icon: each must reach the dead-letter queue with a reason, never an output. */
export function hostileFiles(): Record<string, Buffer> {
  return {
    "icons/hostile/empty.png": Buffer.alloc(0),
    "icons/hostile/truncated.png": anIcon().subarray(0, Math.floor(anIcon().length * 0.6)),
    "icons/hostile/not-an-image.png": Buffer.from("these are not the pixels you are looking for\n"),
    "icons/hostile/pixel-bomb.png": pngDeclaring(60_000, 60_000),
    "icons/hostile/external-reference.svg": Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><image href="http://127.0.0.1:9/x.png" width="32" height="32"/></svg>',
    ),
  };
}

/** The refusal code each hostile file is dead-lettered with, at every size. */
export const HOSTILE_CODES: Readonly<Record<string, string>> = {
  "icons/hostile/empty.png": "empty",
  "icons/hostile/truncated.png": "truncated",
  "icons/hostile/not-an-image.png": "not-an-image",
  "icons/hostile/pixel-bomb.png": "too-many-pixels",
  "icons/hostile/external-reference.svg": "svg-external-reference",
};
