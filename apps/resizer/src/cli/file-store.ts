import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type ObjectHead, type ObjectStore, SourceTooLargeError, type StoredObject } from "../ports.js";

/**
 * The object store `pnpm resize` runs the worker's code on: sources are local files registered
 * under their keys, outputs are written to `<out>/<key>`.
 */
export class FileStore implements ObjectStore {
  private readonly sources = new Map<string, string>();
  private readonly inputs = new Map<string, string>();
  /** Output folders created (or being created) so far: one mkdir per folder, not per file. */
  private readonly folders = new Set<string>();

  constructor(private readonly outDir: string) {}

  /** Makes the file at `path` the source object `key`. */
  addSource(key: string, path: string, input: string = path): void {
    this.sources.set(key, path);
    this.inputs.set(key, input);
  }

  /** Registered source keys, in registration order. */
  keys(): IterableIterator<string> {
    return this.sources.keys();
  }

  /** The input path a source key was registered with. */
  inputOf(key: string): string {
    return this.inputs.get(key) ?? key;
  }

  /** Where the object `key` is written. */
  pathOf(key: string): string {
    return join(this.outDir, key);
  }

  async get(_bucket: string, key: string, maxBytes: number): Promise<StoredObject | undefined> {
    const path = this.sources.get(key);
    if (!path) return undefined;
    const { size } = statSync(path);
    if (size > maxBytes) throw new SourceTooLargeError(size, maxBytes);
    return { body: readFileSync(path), etag: "", metadata: {} };
  }

  async exists(_bucket: string, key: string): Promise<boolean> {
    return this.sources.has(key);
  }

  async head(_bucket: string, key: string): Promise<ObjectHead | undefined> {
    return this.sources.has(key) ? { etag: "", metadata: {} } : undefined;
  }

  async put(_bucket: string, key: string, body: Uint8Array): Promise<{ etag: string }> {
    const path = this.pathOf(key);
    const folder = dirname(path);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    writeFileSync(path, body);
    return { etag: "" };
  }

  async delete(_bucket: string, key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
