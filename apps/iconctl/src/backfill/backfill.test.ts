import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { OUTPUT_METADATA } from "@icon-fanout/config";
import { parseNotification } from "@icon-fanout/events";
import { RENDER_VERSION } from "@icon-fanout/imaging";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TestBucket } from "../test-bucket.js";
import { contextWith, OUTPUTS, terminal } from "../test-fixtures.js";
import { type BackfillOptions, backfillCommand } from "./command.js";

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const SIZE16 = OUTPUTS.sizes[0] as (typeof OUTPUTS.sizes)[number];

let bucket: TestBucket;
let batches: SendMessageBatchCommandInput[];
let journalDir: string;
beforeEach(() => {
  // Four keys a page, so listings of a few dozen keys take several requests, as large ones do.
  bucket = new TestBucket(s3, 4);
  batches = [];
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    batches.push(input);
    return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
  });
  sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" },
  });
  journalDir = mkdtempSync(join(tmpdir(), "iconctl-backfill-"));
});
afterEach(() => {
  s3.reset();
  sqs.reset();
  rmSync(journalDir, { recursive: true, force: true });
});

async function backfill(options: Partial<BackfillOptions> = {}, tty = false) {
  const out = terminal(tty);
  const code = await backfillCommand(contextWith(out), {
    size: 16,
    mode: "missing",
    dryRun: false,
    rate: 100_000,
    restart: false,
    journalDir,
    ...options,
  });
  return { code, text: out.text() };
}

/** The keys of every message sent, in order, each checked to be the event S3 sends for the source. */
function enqueuedKeys(): string[] {
  return batches.flatMap((batch) => {
    expect(batch.QueueUrl).toBe(SIZE16.queueUrl);
    return (batch.Entries ?? []).map((entry) => {
      const parsed = parseNotification(entry.MessageBody ?? "");
      if (parsed.kind !== "objects") throw new Error(`not an object event: ${entry.MessageBody}`);
      const [object] = parsed.objects;
      expect(parsed.objects).toHaveLength(1);
      expect(object).toEqual({
        bucket: OUTPUTS.bucketName,
        key: object?.key,
        eventName: "ObjectCreated:Put",
        size: bucket.objects.get(object?.key ?? "")?.size,
      });
      return object?.key ?? "";
    });
  });
}

/** An output's metadata as the resizer writes it; a null render version for outputs made before there was one. */
const stamp = (sourceKey: string, renderVersion: number | null = RENDER_VERSION) => ({
  [OUTPUT_METADATA.sourceEtag]: bucket.objects.get(sourceKey)?.etag ?? "",
  ...(renderVersion === null ? {} : { [OUTPUT_METADATA.renderVersion]: String(renderVersion) }),
});

/** What the size's resizer would leave behind after handling every message sent so far. */
function renderEnqueued(): void {
  for (const key of enqueuedKeys())
    bucket.putOutput(`icons-size-16/${key.slice("icons/".length)}`, stamp(key));
}

describe("iconctl backfill (missing outputs, the default)", () => {
  beforeEach(() => {
    bucket.putSource("icons/changed.png", "v2");
    bucket.putOutput("icons-size-16/changed.png", { [OUTPUT_METADATA.sourceEtag]: "etag-of-v1" });
    bucket.putSource("icons/done.png");
    bucket.putOutput("icons-size-16/done.png", stamp("icons/done.png"));
    bucket.putSource("icons/logo.svg");
    bucket.putSource("icons/logo.svg.png");
    bucket.putSource("icons/new.png");
    bucket.putSource("icons/team/a b+c.png");
    bucket.putSource("icons/team/"); // a folder marker, not a source
    bucket.putSource("other/x.png");
    bucket.putOutput("icons-size-32/new.png", stamp("icons/new.png"));
  });

  it("enqueues the sources without an output or with one of another version, and says what it skipped", async () => {
    const { code, text } = await backfill();
    expect(code).toBe(0);
    expect(enqueuedKeys()).toEqual([
      "icons/changed.png",
      "icons/logo.svg.png",
      "icons/new.png",
      "icons/team/a b+c.png",
    ]);
    expect(text.replace(/ in \d+ s;/, " in <elapsed>;")).toBe(
      [
        "size 16 of prod: 6 source(s) under icons/, 2 output(s) under icons-size-16/",
        "         sources  why                                             for example",
        `-------  -------  ${"-".repeat(46)}  ${"-".repeat(55)}`,
        "enqueue        3  no output yet                                   icons/logo.svg.png, icons/new.png, icons/team/a b+c.png",
        "enqueue        1  output made from another version of the source  icons/changed.png",
        "skip           1  output made from this version of the source     icons/done.png",
        "skip           1  its twin ending in .png owns the output         icons/logo.svg",
        "enqueuing 4 to icon-fanout-prod-size16 at 100000 messages/s (about 1 s); Ctrl-C stops after the batch in flight",
        "enqueued 4/4",
        "enqueued 4 to icon-fanout-prod-size16 in <elapsed>; the size's resizer writes the outputs as it works through the queue (iconctl status --stack prod)",
        "",
      ].join("\n"),
    );
  });

  it("sends batches of at most ten", async () => {
    for (let index = 0; index < 21; index += 1) bucket.putSource(`icons/many/${index}.png`);
    await backfill();
    expect(batches.map((batch) => batch.Entries?.length)).toEqual([10, 10, 5]);
    expect(new Set(enqueuedKeys()).size).toBe(25);
  });

  it("lists and sends only under --prefix, and refuses a prefix outside the input prefix", async () => {
    await backfill({ prefix: "icons/team/" });
    expect(enqueuedKeys()).toEqual(["icons/team/a b+c.png"]);
    expect(bucket.listings.map((listing) => listing.Prefix)).toEqual(["icons/team/", "icons-size-16/team/"]);
    const refused = await backfill({ prefix: "other/" });
    expect(refused).toEqual({
      code: 2,
      text: "--prefix other/ is not under the stack's input prefix icons/\n",
    });
  });

  it("refuses a size the stack does not have", async () => {
    expect(await backfill({ size: 128 })).toEqual({
      code: 2,
      text: "stack prod has no size 128 (sizes: 16, 32)\n",
    });
  });

  it("names the operators' role when AWS refuses the listing", async () => {
    s3.on(ListObjectsV2Command).rejects(
      Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }),
    );
    await expect(backfill()).rejects.toThrow(
      "listing s3://icon-fanout-prod-222222222222/icons/: access denied; backfill runs as the operators' role arn:aws:iam::222222222222:role/icon-fanout-prod-operators",
    );
  });

  it("draws a progress bar on a terminal", async () => {
    for (let index = 0; index < 21; index += 1) bucket.putSource(`icons/many/${index}.png`);
    const { text } = await backfill({}, true);
    expect(text).toContain("\renqueued [########------------] 10/25\renqueued [################----] 20/25");
    expect(text).toContain("\renqueued [####################] 25/25\n");
  });
});

describe("iconctl backfill --stale and --all", () => {
  beforeEach(() => {
    for (const name of ["older", "unversioned", "current", "newer", "missing"])
      bucket.putSource(`icons/${name}.png`);
    bucket.putOutput("icons-size-16/older.png", stamp("icons/older.png", RENDER_VERSION - 1));
    bucket.putOutput("icons-size-16/unversioned.png", stamp("icons/unversioned.png", null));
    bucket.putOutput("icons-size-16/current.png", stamp("icons/current.png"));
    bucket.putOutput("icons-size-16/newer.png", stamp("icons/newer.png", RENDER_VERSION + 1));
  });

  it("--stale enqueues only outputs an older render version made (or one from before versions)", async () => {
    const { code, text } = await backfill({ mode: "stale" });
    expect(code).toBe(0);
    expect(enqueuedKeys()).toEqual(["icons/older.png", "icons/unversioned.png"]);
    expect(text).toContain("skip           1  output made by this render version ");
    expect(text).toContain("skip           1  output made by a newer render version than this iconctl knows");
    expect(text).toContain("skip           1  no output to re-render (a run without --stale makes it)");
  });

  it("--all enqueues every source without reading a single output", async () => {
    await backfill({ mode: "all" });
    expect(enqueuedKeys()).toEqual(
      ["current", "missing", "newer", "older", "unversioned"].map((name) => `icons/${name}.png`),
    );
    expect(bucket.heads).toBe(0);
    expect(bucket.listings.map((listing) => listing.Prefix)).not.toContain("icons-size-16/");
  });
});

describe("iconctl backfill --dry-run", () => {
  it("prints the counts and example keys and sends nothing", async () => {
    for (let index = 0; index < 7; index += 1) bucket.putSource(`icons/${index}.png`);
    const { code, text } = await backfill({ dryRun: true, rate: 2 });
    expect(code).toBe(0);
    expect(text).toContain(
      "enqueue        7  no output yet  icons/0.png, icons/1.png, icons/2.png and 4 more\n",
    );
    expect(text).toContain("dry run: nothing sent (at 2 messages/s, sending 7 takes about 4 s)\n");
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(existsSync(join(journalDir, `${OUTPUTS.bucketName}-size16.json`))).toBe(false);
  });
});

describe("running backfill again", () => {
  const sources = Array.from({ length: 45 }, (_, index) => `icons/${String(index).padStart(2, "0")}.png`);
  beforeEach(() => {
    for (const key of sources) bucket.putSource(key);
  });

  it("continues an interrupted run where it stopped, sending nothing twice, and then finds nothing to do", async () => {
    const interrupt = new AbortController();
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      batches.push(input);
      if (batches.length === 2) interrupt.abort();
      return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
    });
    const first = await backfill({ signal: interrupt.signal });
    expect(first.code).toBe(1);
    expect(first.text).toContain("interrupted: 20 of 45 enqueued; run the same command again to continue\n");
    expect(enqueuedKeys()).toEqual(sources.slice(0, 20));

    bucket.listings.length = 0;
    const second = await backfill();
    expect(second.code).toBe(0);
    expect(second.text).toMatch(/^continuing the run started \S+: 20 sent, up to icons\/19\.png/);
    expect(second.text).toContain("size 16 of prod: 25 source(s) under icons/ after icons/19.png");
    expect(bucket.listings[0]).toMatchObject({ Prefix: "icons/", StartAfter: "icons/19.png" });
    expect(enqueuedKeys()).toEqual(sources);

    renderEnqueued();
    batches.length = 0;
    const third = await backfill();
    expect(third.text).toContain("skip       45  output made from this version of the source");
    expect(third.text).toContain("nothing to enqueue\n");
    expect(batches).toEqual([]);
  });

  it("continues after a batch SQS refused, from the last batch it took", async () => {
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      if (batches.length === 3)
        return { Successful: [], Failed: [{ Id: "0", Code: "InvalidParameterValue", SenderFault: true }] };
      batches.push(input);
      return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
    });
    const first = await backfill();
    expect(first.code).toBe(1);
    expect(first.text).toContain(
      "stopped: SendError: SQS did not take the message for icons/30.png: InvalidParameterValue\n30 of 45 enqueued",
    );
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      batches.push(input);
      return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
    });
    expect((await backfill()).code).toBe(0);
    expect(enqueuedKeys()).toEqual(sources);
  });

  it("retries entries SQS could not take for its own reasons, without resending the others", async () => {
    let refusedOnce = false;
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      const entries = input.Entries ?? [];
      if (!refusedOnce && entries.length === 10) {
        refusedOnce = true;
        batches.push({ ...input, Entries: entries.filter((entry) => entry.Id !== "3") });
        return {
          Successful: entries.filter((entry) => entry.Id !== "3").map((entry) => ({ Id: entry.Id })),
          Failed: [{ Id: "3", Code: "InternalError", SenderFault: false }],
        };
      }
      batches.push(input);
      return { Successful: entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
    });
    expect((await backfill()).code).toBe(0);
    expect(batches[1]?.Entries?.map((entry) => entry.Id)).toEqual(["3"]);
    expect(enqueuedKeys().sort()).toEqual(sources);
  });

  it("starts over with --restart, or when run with other settings", async () => {
    const failAfterOneBatch = () =>
      sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
        if (batches.length === 1)
          throw Object.assign(new Error("connection reset"), { name: "NetworkError" });
        batches.push(input);
        return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
      });
    const sendAll = () =>
      sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
        batches.push(input);
        return { Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id })), Failed: [] };
      });

    failAfterOneBatch();
    expect((await backfill()).text).toContain("stopped: NetworkError: connection reset\n10 of 45 enqueued");
    sendAll();
    batches.length = 0;
    const restarted = await backfill({ restart: true });
    expect(restarted.text).not.toContain("continuing");
    expect(enqueuedKeys()).toEqual(sources);

    failAfterOneBatch();
    batches.length = 0;
    await backfill();
    sendAll();
    batches.length = 0;
    const other = await backfill({ mode: "all" });
    expect(other.text).not.toContain("continuing");
    expect(enqueuedKeys()).toEqual(sources);
  });
});
