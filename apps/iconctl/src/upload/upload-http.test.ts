import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadCommand } from "../commands.js";
import { contextWith, OUTPUTS, terminal } from "../test-fixtures.js";

const PNG_1x1 = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082",
  "hex",
);

/** An endpoint that refuses every upload as too large, in its own words (not an S3 error document). */
function refusingServer(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      if (request.method === "HEAD") {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(413, { "content-type": "application/json" });
      response.end(JSON.stringify({ statusCode: 413, error: "Payload Too Large" }));
    });
  });
  return new Promise((ready) => server.listen(0, "127.0.0.1", () => ready(server)));
}

describe("iconctl upload against an endpoint that answers with a bare HTTP error", () => {
  let server: Server;
  let dir: string;
  beforeAll(async () => {
    server = await refusingServer();
    dir = mkdtempSync(join(tmpdir(), "iconctl-http-"));
    writeFileSync(join(dir, "a.png"), PNG_1x1);
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports a 413 as one line, once, and exits 1", async () => {
    const out = terminal(false);
    const context = contextWith(out, dir);
    context.outputs = { ...OUTPUTS, accessPointArn: "icons-bucket" };
    context.clients = {
      ...context.clients,
      s3: new S3Client({
        region: "eu-west-1",
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        forcePathStyle: true,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
        maxAttempts: 1,
      }),
    };
    const code = await uploadCommand(context, ["a.png"], {
      wait: false,
      timeoutSeconds: 1,
      concurrency: 1,
      pollSeconds: 1,
    });
    expect(code).toBe(1);
    expect(out.text()).toBe(
      "failed icons/a.png: the endpoint answered HTTP 413 Payload Too Large, which is not an AWS error response\n" +
        "0 uploaded, 0 unchanged, 1 failed, 0 refused\n",
    );
  });
});
