import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ResultEvent, resultAttributes, resultDedupKey } from "./result-event.js";
import { parseResultEvent, resultEventJsonSchema } from "./result-event-schema.js";

const base = {
  schemaVersion: 1,
  stack: "prod",
  size: 16,
  bucket: "icon-fanout-prod-222222222222",
  sourceKey: "icons/brand/logo.svg",
  outputKey: "icons-size-16/brand/logo.svg.png",
  renderVersion: 3,
  messageId: "m-1",
  receiveCount: 1,
  time: "2026-12-05T02:00:00.000Z",
} as const;

const rendered: ResultEvent = {
  ...base,
  outcome: "rendered",
  sourceEtag: '"abc"',
  outputEtag: '"def"',
  bytes: 812,
  width: 16,
  height: 16,
  uploadId: "u-42",
};

const examples: ResultEvent[] = [
  rendered,
  { ...base, outcome: "removed", sequencer: "0062A1B2C3" },
  { ...base, outcome: "kept-by-twin", ownerSourceKey: "icons/brand/logo.svg.png", sourceEtag: '"abc"' },
  {
    ...base,
    outcome: "refused",
    sourceEtag: '"abc"',
    reason: { code: "truncated", message: "the PNG data ends early" },
  },
  {
    ...base,
    outcome: "gave-up",
    receiveCount: 5,
    reason: { code: "transient", message: "S3 answered 503 five times", detail: "SlowDown" },
  },
];

describe("results events", () => {
  it.each(examples.map((event) => [event.outcome, event] as const))(
    "parses a %s event as it was built",
    (_, event) => {
      expect(parseResultEvent(JSON.stringify(event))).toEqual({ kind: "event", event });
    },
  );

  it.each([
    ["a rendered event without its output ETag", { ...rendered, outputEtag: undefined }, "outputEtag"],
    ["a refused event without a reason", { ...base, outcome: "refused" }, "reason"],
    ["a field the schema does not know", { ...rendered, colour: "red" }, "colour"],
    ["another schema version", { ...rendered, schemaVersion: 2 }, "schemaVersion"],
    ["an unknown outcome", { ...base, outcome: "lost" }, "outcome"],
    ["a time without a zone", { ...rendered, time: "2026-12-05T02:00:00" }, "time"],
  ])("refuses %s, naming the field", (_, value, field) => {
    const parsed = parseResultEvent(JSON.stringify(value));
    expect(parsed.kind).toBe("invalid");
    expect(parsed.kind === "invalid" && parsed.reason).toContain(field);
  });

  it("refuses a body that is not JSON without throwing", () => {
    expect(parseResultEvent("{")).toEqual({ kind: "invalid", reason: "not JSON" });
  });

  it("gives subscribers size, outcome, source key and upload id as attributes, and no empty upload id", () => {
    expect(resultAttributes(rendered)).toEqual({
      size: { DataType: "Number", StringValue: "16" },
      outcome: { DataType: "String", StringValue: "rendered" },
      "source-key": { DataType: "String", StringValue: "icons/brand/logo.svg" },
      "upload-id": { DataType: "String", StringValue: "u-42" },
    });
    expect(Object.keys(resultAttributes({ ...rendered, uploadId: undefined }))).not.toContain("upload-id");
  });

  it("gives a redelivered event the dedup key it had, and a different outcome, size, version or render another", () => {
    const again = { ...rendered, messageId: "m-2", receiveCount: 2, time: "2026-12-05T02:05:00.000Z" };
    expect(resultDedupKey(again)).toBe(resultDedupKey(rendered));
    const others: ResultEvent[] = [
      { ...rendered, size: 32, outputKey: "icons-size-32/brand/logo.svg.png" },
      { ...rendered, sourceEtag: '"new"' },
      { ...rendered, renderVersion: 4 },
      { ...base, outcome: "refused", sourceEtag: '"abc"', reason: { code: "corrupt", message: "x" } },
    ];
    const keys = new Set([rendered, ...others].map(resultDedupKey));
    expect(keys.size).toBe(others.length + 1);
  });

  it("keys a removal by its sequencer, so a later removal of the same key is a new event", () => {
    const first: ResultEvent = { ...base, outcome: "removed", sequencer: "0062A1" };
    expect(resultDedupKey({ ...first, sequencer: "0062B7" })).not.toBe(resultDedupKey(first));
  });

  it("ships the JSON Schema generated from the zod schema (pnpm --filter @icon-fanout/events schema)", () => {
    const committed = JSON.parse(
      readFileSync(new URL("../../result-event.schema.json", import.meta.url), "utf8"),
    );
    expect(committed).toEqual(resultEventJsonSchema());
    expect(committed.oneOf).toHaveLength(5);
  });
});
