/** An SQS stand-in on 127.0.0.1 that keeps a worker busy: every receive gets ten S3 test events. */
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const TEST_EVENT = JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent", Bucket: "icon-fanout-dev" });
const md5 = (text: string) => createHash("md5").update(text).digest("hex");

/** Answers the JSON-protocol calls the worker makes; counts the messages it deleted. */
export async function withBusySqs<T>(
  use: (endpoint: string, deleted: () => number) => Promise<T>,
): Promise<T> {
  let deleted = 0;
  const server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      const target = String(request.headers["x-amz-target"] ?? "");
      const input = body ? (JSON.parse(body) as { Entries?: { Id: string }[] }) : {};
      const answer = (payload: unknown, delayMs = 0) =>
        setTimeout(() => {
          response.writeHead(200, { "content-type": "application/x-amz-json-1.0" });
          response.end(JSON.stringify(payload));
        }, delayMs);
      if (target === "AmazonSQS.ReceiveMessage") {
        const messages = Array.from({ length: 10 }, () => ({
          MessageId: randomUUID(),
          ReceiptHandle: randomUUID(),
          MD5OfBody: md5(TEST_EVENT),
          Body: TEST_EVENT,
          Attributes: { ApproximateReceiveCount: "1" },
        }));
        // A short wait per receive: busy, not a spin.
        answer({ Messages: messages }, 200);
      } else if (
        target === "AmazonSQS.DeleteMessageBatch" ||
        target === "AmazonSQS.ChangeMessageVisibilityBatch"
      ) {
        if (target === "AmazonSQS.DeleteMessageBatch") deleted += input.Entries?.length ?? 0;
        answer({ Successful: (input.Entries ?? []).map(({ Id }) => ({ Id })), Failed: [] });
      } else {
        response.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
        response.end(JSON.stringify({ __type: "com.amazonaws.sqs#InvalidAction", message: target }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => deleted);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
