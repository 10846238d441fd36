import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, parseNotification } from "./parse-notification.js";
import { s3Event, s3TestEvent, snsEnvelope } from "./test-fixtures.js";

const created = (key: string, extra = {}) => ({ eventName: "ObjectCreated:Put", key, ...extra });

describe("parseNotification: object events", () => {
  it("reads a raw S3 event (raw message delivery on)", () => {
    expect(parseNotification(s3Event(created("icons/logo.png", { size: 2048, sequencer: "0A1B" })))).toEqual({
      kind: "objects",
      objects: [
        {
          bucket: "icon-fanout-prod-icons",
          key: "icons/logo.png",
          eventName: "ObjectCreated:Put",
          size: 2048,
          sequencer: "0A1B",
        },
      ],
    });
  });

  it("reads the same event inside an SNS envelope (raw message delivery off)", () => {
    const raw = s3Event(created("icons/logo.png"));
    expect(parseNotification(snsEnvelope(raw))).toEqual(parseNotification(raw));
  });

  it("keeps every record of a multi-record event, in order", () => {
    const result = parseNotification(
      s3Event(
        created("icons/a.png"),
        { eventName: "ObjectRemoved:Delete", key: "icons/b.png" },
        created("icons/c.svg"),
      ),
    );
    expect(result.kind).toBe("objects");
    if (result.kind !== "objects") return;
    expect(result.objects.map((o) => [o.eventName, o.key])).toEqual([
      ["ObjectCreated:Put", "icons/a.png"],
      ["ObjectRemoved:Delete", "icons/b.png"],
      ["ObjectCreated:Put", "icons/c.svg"],
    ]);
    expect(result.objects[1]).not.toHaveProperty("size");
  });

  it.each([
    ["icons/my+logo.png", "icons/my logo.png", "+ is a space"],
    ["icons/c%2B%2B.png", "icons/c++.png", "%2B is a plus"],
    ["icons/caf%C3%A9.png", "icons/café.png", "UTF-8 escapes"],
    ["icons/%E6%97%A5%E6%9C%AC+%F0%9F%98%80.png", "icons/日本 😀.png", "multi-byte and astral"],
    ["icons/100%25.png", "icons/100%.png", "an escaped percent"],
    ["icons/a%2Fb.png", "icons/a/b.png", "an escaped slash"],
  ])("decodes the key %s → %s (%s)", (encoded, decoded) => {
    const result = parseNotification(s3Event(created(encoded)));
    expect(result).toMatchObject({ kind: "objects", objects: [{ key: decoded }] });
  });

  it.each([
    "ObjectCreated:Put",
    "ObjectCreated:Post",
    "ObjectCreated:Copy",
    "ObjectCreated:CompleteMultipartUpload",
    "ObjectRemoved:Delete",
    "ObjectRemoved:DeleteMarkerCreated",
  ])("accepts %s", (eventName) => {
    expect(parseNotification(s3Event({ eventName, key: "icons/x.png" }))).toMatchObject({
      kind: "objects",
      objects: [{ eventName }],
    });
  });

  it("drops a malformed size or sequencer rather than passing it on", () => {
    const body = JSON.stringify({
      Records: [
        {
          eventName: "ObjectCreated:Put",
          s3: { bucket: { name: "b" }, object: { key: "icons/x.png", size: -3, sequencer: "zz" } },
        },
      ],
    });
    expect(parseNotification(body)).toEqual({
      kind: "objects",
      objects: [{ bucket: "b", key: "icons/x.png", eventName: "ObjectCreated:Put" }],
    });
  });

  it("keeps only the object records when non-object events are mixed in", () => {
    const result = parseNotification(
      s3Event({ eventName: "ObjectRestore:Completed", key: "icons/a.png" }, created("icons/b.png")),
    );
    expect(result).toMatchObject({ kind: "objects", objects: [{ key: "icons/b.png" }] });
  });
});

describe("parseNotification: ignored messages", () => {
  it.each([
    ["s3:TestEvent, raw", s3TestEvent, "s3:TestEvent"],
    ["s3:TestEvent in an envelope", snsEnvelope(s3TestEvent), "s3:TestEvent"],
    ["SubscriptionConfirmation", snsEnvelope("", "SubscriptionConfirmation"), "SNS SubscriptionConfirmation"],
    ["UnsubscribeConfirmation", snsEnvelope("", "UnsubscribeConfirmation"), "SNS UnsubscribeConfirmation"],
    [
      "a restore event",
      s3Event({ eventName: "ObjectRestore:Post", key: "icons/a.png" }),
      "not an object event: ObjectRestore:Post",
    ],
    [
      "replication and tagging events",
      s3Event(
        { eventName: "Replication:OperationFailedReplication", key: "icons/a.png" },
        { eventName: "ObjectTagging:Put", key: "icons/a.png" },
      ),
      "not an object event: Replication:OperationFailedReplication, ObjectTagging:Put",
    ],
    ["no records", JSON.stringify({ Records: [] }), "no records"],
  ])("%s", (_name, body, reason) => {
    expect(parseNotification(body)).toEqual({ kind: "ignored", reason });
  });
});

describe("parseNotification: invalid bodies", () => {
  it.each([
    ["empty", "", /body is empty/],
    ["blank", "  \n ", /body is empty/],
    ["garbage", "\u0000\u0001garbage{", /not JSON/],
    ["a number", "42", /must be a JSON object, got number/],
    ["null", "null", /got null/],
    ["an array", "[]", /got an array/],
    ["an unrelated object", '{"hello":"world"}', /no Records and not an S3 test event/],
    ["Records not an array", '{"Records":{}}', /Records must be an array, got object/],
    ["a record that is a string", '{"Records":["x"]}', /Records\[0\]: must be an object, got string/],
    ["no eventName", '{"Records":[{"s3":{}}]}', /Records\[0\]: eventName is missing/],
    [
      "no bucket",
      '{"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"k"}}}]}',
      /bucket.name/,
    ],
    ["no key", '{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"}}}]}', /object.key/],
    ["empty key", s3Event(created("")), /s3.object.key is missing/],
    ["broken URL encoding", s3Event(created("icons/%E0%A4%A.png")), /not valid URL encoding/],
    ["an unknown SNS type", snsEnvelope("{}", "Surprise"), /unknown SNS message type "Surprise"/],
    ["an envelope without Message", '{"Type":"Notification"}', /no Message string/],
    ["an envelope whose Message is text", snsEnvelope("hello"), /SNS Message is not JSON/],
    ["an envelope whose Message is an array", snsEnvelope("[1]"), /SNS Message must be a JSON object/],
  ])("%s", (_name, body, reason) => {
    const result = parseNotification(body);
    expect(result.kind).toBe("invalid");
    if (result.kind === "invalid") expect(result.reason).toMatch(reason);
  });

  it("refuses a body above the SQS size limit without parsing it", () => {
    const huge = s3Event(created(`icons/${"a".repeat(MAX_BODY_BYTES)}.png`));
    expect(parseNotification(huge)).toEqual({
      kind: "invalid",
      reason: `body is larger than ${MAX_BODY_BYTES} bytes`,
    });
  });

  it("survives deeply nested JSON", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(parseNotification(deep).kind).toBe("invalid");
    const deepObject = `{"Records":[${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}]}`;
    expect(parseNotification(deepObject)).toMatchObject({ kind: "invalid", reason: /eventName is missing/ });
  });

  it("handles a large valid event with many records", () => {
    const records = Array.from({ length: 1_000 }, (_, i) => created(`icons/${i}.png`));
    const result = parseNotification(s3Event(...records));
    expect(result.kind === "objects" && result.objects.length).toBe(1_000);
  });

  // Two thousand generated bodies: allow for a machine busy with other work.
  it("answers hostile input with a well-formed result, never through its catch-all", {
    timeout: 30_000,
  }, () => {
    const anything = fc.jsonValue();
    /** Mostly the shape S3 sends, sometimes any JSON value in its place. */
    const mostly = <T>(valid: fc.Arbitrary<T>) =>
      fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: anything, weight: 1 });
    const hex = fc.string({ unit: fc.constantFrom(..."0123456789ABCDEF") });
    const record = mostly(
      fc.record({
        eventName: mostly(fc.constantFrom("ObjectCreated:Put", "ObjectRemoved:Delete", "ObjectRestore:Post")),
        s3: mostly(
          fc.record({
            bucket: mostly(fc.record({ name: mostly(fc.string()) })),
            object: mostly(
              fc.record(
                { key: mostly(fc.string()), size: anything, sequencer: fc.oneof(hex, anything) },
                { requiredKeys: ["key"] },
              ),
            ),
          }),
        ),
      }),
    );
    const event = fc.array(record, { maxLength: 4 }).map((records) => JSON.stringify({ Records: records }));
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      event,
      event.map((message) => snsEnvelope(message)),
      fc.jsonValue().map((message) => JSON.stringify({ Type: "Notification", Message: message })),
    );
    fc.assert(
      fc.property(body, (input) => {
        const result = parseNotification(input);
        if (result.kind !== "objects") {
          expect(result.reason).not.toMatch(/^unexpected parse failure/);
          return;
        }
        expect(result.objects.length).toBeGreaterThan(0);
        for (const object of result.objects) {
          expect(object.bucket).not.toBe("");
          expect(object.key).not.toBe("");
          expect(object.eventName).toMatch(/^(?:s3:)?(ObjectCreated|ObjectRemoved):/);
          if (object.size !== undefined) {
            expect(Number.isSafeInteger(object.size), `size ${object.size}`).toBe(true);
            expect(object.size).toBeGreaterThanOrEqual(0);
          }
          if (object.sequencer !== undefined) expect(object.sequencer).toMatch(/^[0-9A-Fa-f]+$/);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("answers a non-string body with invalid rather than throwing", () => {
    expect(parseNotification(undefined as unknown as string)).toMatchObject({ kind: "invalid" });
  });
});
