import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeEventKey, objectCreatedEvent } from "./object-created-event.js";
import { parseNotification } from "./parse-notification.js";
import { s3Record } from "./test-fixtures.js";

const object = { bucket: "icon-fanout-prod-222222222222", key: "icons/team a/c++ café.svg", size: 2048 };
const options = { region: "eu-west-1", configurationId: "iconctl-backfill" };

describe("S3 event keys", () => {
  it.each([
    ["icons/a b.png", "icons/a+b.png"],
    ["icons/c+d.png", "icons/c%2Bd.png"],
    ["icons/ünï/图标.svg", "icons/%C3%BCn%C3%AF/%E5%9B%BE%E6%A0%87.svg"],
    ["icons/50%.png", "icons/50%25.png"],
    ["icons/deep/er/x_y-z.~1.png", "icons/deep/er/x_y-z.%7E1.png"],
  ])("writes %s as %s", (key, encoded) => {
    expect(encodeEventKey(key)).toBe(encoded);
  });
});

describe("objectCreatedEvent", () => {
  it("is the S3 event a real upload notifies, with the key form-encoded", () => {
    const body = objectCreatedEvent(
      { ...object, eTag: '"d41d8cd98f00b204e9800998ecf8427e"' },
      { ...options, eventTime: new Date("2026-11-21T10:00:00Z") },
    );
    const [record] = JSON.parse(body).Records;
    const real = s3Record({ eventName: "ObjectCreated:Put", key: "icons/team+a/c%2B%2B+caf%C3%A9.svg" });
    // Every field it writes is one S3 writes, at the same place; what it leaves out is unknown here.
    const foreign = (ours: object, theirs: object) => Object.keys(ours).filter((key) => !(key in theirs));
    expect(foreign(record, real)).toEqual([]);
    expect(foreign(record.s3, real.s3)).toEqual([]);
    expect(foreign(record.s3.bucket, real.s3.bucket)).toEqual([]);
    expect(foreign(record.s3.object, real.s3.object)).toEqual([]);
    expect(record).toEqual({
      eventVersion: real.eventVersion,
      eventSource: real.eventSource,
      awsRegion: "eu-west-1",
      eventTime: "2026-11-21T10:00:00.000Z",
      eventName: "ObjectCreated:Put",
      s3: {
        s3SchemaVersion: real.s3.s3SchemaVersion,
        configurationId: "iconctl-backfill",
        bucket: { name: object.bucket, arn: "arn:aws:s3:::icon-fanout-prod-222222222222" },
        object: {
          key: "icons/team+a/c%2B%2B+caf%C3%A9.svg",
          size: 2048,
          eTag: "d41d8cd98f00b204e9800998ecf8427e",
        },
      },
    });
  });

  it("parses back to the object it was made from, whatever the key", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1 }), fc.nat(), (name, size) => {
        const key = `icons/${name}`;
        expect(parseNotification(objectCreatedEvent({ ...object, key, size, eTag: "e" }, options))).toEqual({
          kind: "objects",
          objects: [{ bucket: object.bucket, key, eventName: "ObjectCreated:Put", size }],
        });
      }),
    );
  });
});
