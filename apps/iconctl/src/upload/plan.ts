import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative, resolve } from "node:path";
import { claimOutputs, type KeyLayout, leftOutReason } from "@icon-fanout/config";
import { EMPTY_FILE, type SourceFormat, sniffFormat, UNSUPPORTED_FORMAT } from "@icon-fanout/imaging";

export interface UploadItem {
  /** As the user named it (relative paths stay relative). */
  input: string;
  path: string;
  key: string;
  body: Buffer;
  /** Hex MD5 of the content: the ETag S3 gives a single-part upload, and what outputs record. */
  md5: string;
  contentType: string;
}

export interface Refusal {
  input: string;
  reason: string;
}

const CONTENT_TYPES: Record<SourceFormat, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  tiff: "image/tiff",
  heif: "image/heif",
  svg: "image/svg+xml",
};

/**
 * What `iconctl upload` will send: files named directly become `icons/<name>`, files inside a
 * directory keep their path under it. Files over the stack's source limit (`resizer.maxSourceBytes`,
 * judged by their size before they are read) and non-images are refused before anything is uploaded,
 * and so are files whose outputs another file of the run makes (`claimOutputs`: of twins `x` and
 * `x.png`, `x.png`; of two files for one key, the first).
 */
export async function planUploads(
  inputs: string[],
  cwd: string,
  layout: KeyLayout,
  maxSourceBytes: number,
): Promise<{ items: UploadItem[]; refused: Refusal[] }> {
  const items: UploadItem[] = [];
  const refused: Refusal[] = [];
  for (const input of inputs) {
    const path = resolve(cwd, input);
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      refused.push({ input, reason: "no such file or directory" });
      continue;
    }
    const files = info.isDirectory()
      ? (await walk(path)).map((file) => ({
          input: join(input, relative(path, file)),
          path: file,
          name: relative(path, file),
        }))
      : [{ input, path, name: basename(path) }];
    for (const file of files) {
      const { size } = info.isDirectory() ? await stat(file.path) : info;
      if (size > maxSourceBytes) {
        refused.push({ input: file.input, reason: oversizedReason(size, maxSourceBytes) });
        continue;
      }
      const body = await readFile(file.path);
      const format = body.length === 0 ? undefined : sniffFormat(body);
      if (!format) {
        refused.push({ input: file.input, reason: body.length === 0 ? EMPTY_FILE : UNSUPPORTED_FORMAT });
        continue;
      }
      items.push({
        input: file.input,
        path: file.path,
        key: `${layout.inputPrefix}${file.name.split("\\").join("/")}`,
        body,
        md5: createHash("md5").update(body).digest("hex"),
        contentType: CONTENT_TYPES[format],
      });
    }
  }
  const { kept, leftOut } = claimOutputs(items, (item) => item.key, layout);
  for (const left of leftOut)
    refused.push({ input: left.item.input, reason: leftOutReason(left, (item) => item.input) });
  return { items: kept, refused };
}

function oversizedReason(bytes: number, maxSourceBytes: number): string {
  return `${bytes} bytes, over the stack's source limit of ${maxSourceBytes} bytes (resizer.maxSourceBytes)`;
}

async function walk(directory: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of (await readdir(directory, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith(".")) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
