import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type ObjectHead,
  type ObjectStore,
  type PutOptions,
  SourceTooLargeError,
  type StoredObject,
} from "../ports.js";
import { meetOutage, type Outage, transientError } from "./faults.js";

export interface FakeS3Options {
  /** Added to every request. @default 0 */
  latencyMs?: number;
  /** Probability that a request fails at once with a transient error. @default 0 */
  faultRate?: number;
  /** Probability that a request hangs `timeoutMs` and then times out; a timed-out PUT may or may not have landed. @default 0 */
  timeoutRate?: number;
  timeoutMs?: number;
  random?: () => number;
}

export interface FakeObject extends Partial<PutOptions> {
  body: Uint8Array;
  etag: string;
}

/** S3 as the worker sees it: strong read-after-write consistency, ETags, injected failures and timeouts. */
export class FakeS3 implements ObjectStore {
  readonly objects = new Map<string, FakeObject>();
  readonly requests = { get: 0, put: 0, head: 0, delete: 0 };
  /** While set, every request meets it (tests switch it on and off to model an outage and its heal). */
  outage: Outage | undefined;
  private readonly random: () => number;

  constructor(private readonly options: FakeS3Options = {}) {
    this.random = options.random ?? Math.random;
  }

  /** Seeds an object directly (no request is counted), with its user metadata. */
  seed(bucket: string, key: string, body: Uint8Array, metadata: Record<string, string> = {}): void {
    this.objects.set(`${bucket}/${key}`, {
      body,
      etag: createHash("md5").update(body).digest("hex"),
      metadata,
    });
  }

  remove(bucket: string, key: string): void {
    this.objects.delete(`${bucket}/${key}`);
  }

  /** Keys of one bucket under a prefix, sorted. */
  keys(bucket: string, prefix = ""): string[] {
    return [...this.objects.keys()]
      .filter((id) => id.startsWith(`${bucket}/${prefix}`))
      .map((id) => id.slice(bucket.length + 1))
      .sort();
  }

  async get(
    bucket: string,
    key: string,
    maxBytes: number,
    signal?: AbortSignal,
  ): Promise<StoredObject | undefined> {
    this.requests.get += 1;
    await this.call(signal);
    const object = this.objects.get(`${bucket}/${key}`);
    if (!object) return undefined;
    if (object.body.byteLength > maxBytes)
      throw new SourceTooLargeError(object.body.byteLength, maxBytes, {
        etag: object.etag,
        metadata: object.metadata ?? {},
      });
    return { body: object.body, etag: object.etag, metadata: object.metadata ?? {} };
  }

  async head(bucket: string, key: string, signal?: AbortSignal): Promise<ObjectHead | undefined> {
    this.requests.head += 1;
    await this.call(signal);
    const object = this.objects.get(`${bucket}/${key}`);
    return object ? { etag: object.etag, metadata: object.metadata ?? {} } : undefined;
  }

  async exists(bucket: string, key: string, signal?: AbortSignal): Promise<boolean> {
    this.requests.head += 1;
    await this.call(signal);
    return this.objects.has(`${bucket}/${key}`);
  }

  async put(
    bucket: string,
    key: string,
    body: Uint8Array,
    options: PutOptions,
    signal?: AbortSignal,
  ): Promise<{ etag: string }> {
    this.requests.put += 1;
    const etag = createHash("md5").update(body).digest("hex");
    await this.call(signal, () => {
      this.objects.set(`${bucket}/${key}`, { body, etag, ...options });
    });
    return { etag };
  }

  async delete(bucket: string, key: string, signal?: AbortSignal): Promise<void> {
    this.requests.delete += 1;
    await this.call(signal, () => this.objects.delete(`${bucket}/${key}`));
  }

  /** Latency, then the outage or maybe a fault; `effect` is the write, which a timed-out request may have made. */
  private async call(signal: AbortSignal | undefined, effect?: () => void): Promise<void> {
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    await meetOutage(this.outage, signal);
    const roll = this.random();
    const faultRate = this.options.faultRate ?? 0;
    const timeoutRate = this.options.timeoutRate ?? 0;
    if (roll < faultRate) throw transientError(this.random() < 0.5 ? "InternalError" : "SlowDown");
    if (roll < faultRate + timeoutRate) {
      if (effect && this.random() < 0.5) effect();
      await sleep(this.options.timeoutMs ?? 50);
      throw transientError("TimeoutError", "Connection timed out after the request was sent");
    }
    effect?.();
  }
}
