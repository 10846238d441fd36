import { Readable } from "node:stream";
import { GetQueueAttributesCommand, SQSClient, type SQSClientConfig } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSqsClient } from "./sqs-client.js";

/** Answers every request with an empty GetQueueAttributes result and records where it went. */
function recordingHandler(hosts: string[]) {
  return {
    async handle(request: { hostname: string; port?: number }) {
      hosts.push(`${request.hostname}:${request.port}`);
      return {
        response: {
          statusCode: 200,
          headers: { "content-type": "application/x-amz-json-1.0" },
          body: Readable.from([Buffer.from('{"Attributes":{}}')]),
        },
      };
    },
  };
}

const EMULATOR = "http://127.0.0.1:4566";
/** A queue URL whose host differs from the configured endpoint, as fauxqs's default URLs do. */
const QUEUE_URL = "http://sqs.eu-west-1.localhost:4566/000000000000/icon-fanout-dev-size16";

describe("the resizer's SQS client against an emulator", () => {
  beforeEach(() => {
    vi.stubEnv("AWS_ENDPOINT_URL", EMULATOR);
    vi.stubEnv("AWS_REGION", "eu-west-1");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  async function callWith(make: (config: SQSClientConfig) => SQSClient) {
    const hosts: string[] = [];
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const client = make({ requestHandler: recordingHandler(hosts) as SQSClientConfig["requestHandler"] });
    for (let call = 0; call < 3; call += 1) {
      await client.send(new GetQueueAttributesCommand({ QueueUrl: QUEUE_URL, AttributeNames: ["All"] }));
    }
    return { hosts, warnings: warn.mock.calls.map((args) => String(args[0])) };
  }

  it("sends every call to AWS_ENDPOINT_URL and prints no warning", async () => {
    const { hosts, warnings } = await callWith(createSqsClient);
    expect(hosts).toEqual(["127.0.0.1:4566", "127.0.0.1:4566", "127.0.0.1:4566"]);
    expect(warnings).toEqual([]);
  });

  it("(the SDK's default, for contrast) warns on every call and goes to the queue URL's host", async () => {
    const { hosts, warnings } = await callWith((config) => new SQSClient(config));
    expect(hosts[0]).toBe("sqs.eu-west-1.localhost:4566");
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain("differs from SQSClient resolved endpoint");
  });
});
