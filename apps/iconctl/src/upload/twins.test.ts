import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DEFAULT_KEY_LAYOUT } from "@icon-fanout/config";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { uploadCommand } from "../commands.js";
import { contextWith, OUTPUTS, terminal } from "../test-fixtures.js";
import { planUploads } from "./plan.js";

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>';
const PNG_1x1 = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082",
  "hex",
);
const TWIN_REASON = "its twin set/logo.svg.png makes the same outputs and wins (of x and x.png, x.png does)";
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "iconctl-twins-"));
  mkdirSync(join(dir, "set"));
  // Named so that the fallback twin comes first in the directory walk.
  writeFileSync(join(dir, "set", "logo.svg"), SVG);
  writeFileSync(join(dir, "set", "logo.svg.png"), PNG_1x1);
  writeFileSync(join(dir, "logo.svg"), SVG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("iconctl upload with both twins in one run", () => {
  it("keeps x.png, which owns the outputs, and refuses x naming it, whichever is named first", async () => {
    for (const inputs of [
      ["set"],
      ["set/logo.svg", "set/logo.svg.png"],
      ["set/logo.svg.png", "set/logo.svg"],
    ]) {
      const { items, refused } = await planUploads(inputs, dir, DEFAULT_KEY_LAYOUT, OUTPUTS.maxSourceBytes);
      expect(
        items.map((item) => [item.input, item.key]),
        inputs.join(" "),
      ).toEqual([["set/logo.svg.png", "icons/logo.svg.png"]]);
      expect(refused, inputs.join(" ")).toEqual([{ input: "set/logo.svg", reason: TWIN_REASON }]);
    }
  });

  it("uploads only x.png and says why x was refused", async () => {
    s3.on(HeadObjectCommand).rejects(
      Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } }),
    );
    s3.on(PutObjectCommand).resolves({});
    const out = terminal(false);
    const code = await uploadCommand(contextWith(out, dir), ["set"], {
      wait: false,
      timeoutSeconds: 1,
      concurrency: 2,
      pollSeconds: 1,
    });
    expect(code).toBe(1);
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual([
      "icons/logo.svg.png",
    ]);
    expect(out.text()).toBe(
      [
        `refused set/logo.svg: ${TWIN_REASON}`,
        "uploaded icons/logo.svg.png",
        "1 uploaded, 0 unchanged, 0 failed, 1 refused",
        "",
      ].join("\n"),
    );
  });

  it("refuses the second of two files given the same key, naming the first", async () => {
    const { items, refused } = await planUploads(
      ["logo.svg", "set/logo.svg"],
      dir,
      DEFAULT_KEY_LAYOUT,
      OUTPUTS.maxSourceBytes,
    );
    expect(items.map((item) => item.input)).toEqual(["logo.svg"]);
    expect(refused).toEqual([
      { input: "set/logo.svg", reason: "logo.svg has the same key and was named first" },
    ]);
  });
});
