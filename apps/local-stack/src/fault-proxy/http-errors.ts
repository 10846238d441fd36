import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** Decides, per request, whether the proxy answers it with an error status instead of forwarding it. */
export type ErrorDecision = (request: IncomingMessage) => number | undefined;

/** The error code an AWS service puts in the body of such an answer (S3 XML, or SQS JSON when `x-amz-target` is sent). */
function errorCode(status: number, json: boolean): string {
  if (status === 503) return json ? "ServiceUnavailable" : "SlowDown";
  if (status === 500) return "InternalError";
  return "ServiceUnavailable";
}

function answerWithError(req: IncomingMessage, res: ServerResponse, status: number): void {
  // The body is drained first so the connection stays usable for the client's retry.
  req.resume();
  req.once("end", () => {
    const json = req.headers["x-amz-target"] !== undefined;
    const code = errorCode(status, json);
    const message = "injected by the local stack's fault proxy";
    const body = json
      ? JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message })
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    res.writeHead(status, {
      "content-type": json ? "application/x-amz-json-1.0" : "application/xml",
      "content-length": Buffer.byteLength(body),
      ...(json ? { "x-amzn-query-error": `${code};Receiver` } : {}),
    });
    res.end(body);
  });
}

/**
 * An HTTP/1.1 forwarder on 127.0.0.1 to `upstream` that answers the requests `decide` picks with
 * an AWS-shaped error and forwards the rest unchanged (headers, Host included, so signatures hold).
 */
export async function startHttpErrors(
  upstream: string,
  decide: ErrorDecision,
): Promise<{ port: number; close(): Promise<void> }> {
  const target = new URL(upstream);
  if (target.protocol !== "http:")
    throw new Error(`the fault proxy forwards to http:// only, got ${upstream}`);
  const agent = new Agent({ keepAlive: true });
  const server: Server = createServer((req, res) => {
    const status = decide(req);
    if (status !== undefined) {
      answerWithError(req, res, status);
      return;
    }
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    // The emulator failing is not a fault under test: the client sees its connection end.
    forwarded.once("error", () => res.destroy());
    res.once("close", () => {
      if (!res.writableFinished) forwarded.destroy();
    });
    req.pipe(forwarded);
  });
  // Longer than the SDK's idle sockets live, so the proxy never closes a connection the client is about to reuse.
  server.keepAliveTimeout = 75_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
