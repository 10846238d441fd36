import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.js";

/** What the upstream saw of each request it answered. */
interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let upstream: Server;
let seen: Seen[];
let proxy: FaultProxy;

beforeEach(async () => {
  seen = [];
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { "content-type": "text/plain", "x-upstream": "yes" });
      res.end(`echo ${req.method} ${req.url} ${body}`);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  // 0.0, 0.1, …, 0.9 again and again: a share of 0.3 hits exactly the first three of every ten.
  let draw = 0;
  proxy = await startFaultProxy({
    upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    random: () => (draw++ % 10) / 10,
  });
});
afterEach(async () => {
  await proxy.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection; rejects with the socket error, or "timeout" after `timeoutMs`. */
function send(
  options: { path?: string; body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${proxy.endpoint}${options.path ?? "/bucket/key"}`,
      { method: "PUT", headers: options.headers, agent: false, timeout: options.timeoutMs ?? 5_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.once("timeout", () => req.destroy(new Error("timeout")));
    req.once("error", reject);
    req.end(options.body ?? "");
  });
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Writes one raw request on an open socket and resolves with what came back within `waitMs` (maybe nothing). */
function rawExchange(socket: ReturnType<typeof connect>, path: string, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString();
    };
    socket.on("data", onData);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n`);
    setTimeout(() => {
      socket.off("data", onData);
      resolve(received);
    }, waitMs);
  });
}

describe("the fault proxy", () => {
  it("passes requests and answers unchanged: method, path, Host, body, status and headers", async () => {
    const answer = await send({
      path: "/b/icons/a%20b.png?x=1",
      body: "pixels",
      headers: { "x-amz-meta-a": "1" },
    });
    expect(answer).toMatchObject({ status: 200, body: "echo PUT /b/icons/a%20b.png?x=1 pixels" });
    expect(answer.headers["x-upstream"]).toBe("yes");
    expect(seen[0]?.headers).toMatchObject({
      host: proxy.endpoint.replace("http://", ""),
      "x-amz-meta-a": "1",
    });
    expect(proxy.counts).toMatchObject({ connections: 1, requests: 1, errors: 0, resets: 0 });
  });

  it("refuses connects while refusing, resets open connections, and listens on the same port after the heal", async () => {
    const open = connect(Number(new URL(proxy.endpoint).port), "127.0.0.1");
    await new Promise((resolve) => open.once("connect", resolve));
    const openClosed = new Promise((resolve) => open.once("close", resolve));
    open.on("error", () => {});

    await proxy.set({ kind: "refuse" });
    await openClosed;
    await expect(send()).rejects.toSatisfy((error) => errorCode(error) === "ECONNREFUSED");
    expect(seen).toHaveLength(0);

    await proxy.heal();
    await expect(send({ body: "after" })).resolves.toMatchObject({
      status: 200,
      body: "echo PUT /bucket/key after",
    });
  });

  it("swallows every byte in a black hole; a connection that lost bytes stays silent after the heal, an idle one resumes", async () => {
    const port = Number(new URL(proxy.endpoint).port);
    const idle = connect(port, "127.0.0.1");
    const hurt = connect(port, "127.0.0.1");
    await Promise.all(
      [idle, hurt].map((socket) => new Promise((resolve) => socket.once("connect", resolve))),
    );

    await proxy.set({ kind: "black-hole" });
    await expect(send({ timeoutMs: 400 })).rejects.toThrow("timeout");
    expect(await rawExchange(hurt, "/in-the-hole", 300)).toBe("");
    expect(seen).toHaveLength(0);

    await proxy.heal();
    expect(await rawExchange(hurt, "/after-on-lost", 300)).toBe("");
    expect(await rawExchange(idle, "/after-on-idle", 500)).toContain("echo GET /after-on-idle");
    await expect(send({ body: "new" })).resolves.toMatchObject({ status: 200 });
    expect(seen.map((request) => request.url)).toEqual(["/after-on-idle", "/bucket/key"]);
    expect(proxy.counts.swallowed).toBe(2);
    for (const socket of [idle, hurt]) socket.destroy();
  });

  it("holds each chunk the delay in each direction", async () => {
    await proxy.set({ kind: "delay", ms: 150 });
    const started = performance.now();
    const answer = await send({ body: "slow" });
    expect(answer.body).toBe("echo PUT /bucket/key slow");
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 150);
  });

  it("resets the share of writes it is told to, and none at share 0", async () => {
    await proxy.set({ kind: "reset", share: 1 });
    await expect(send()).rejects.toSatisfy((error) => errorCode(error) === "ECONNRESET");
    await proxy.set({ kind: "reset", share: 0 });
    await expect(send()).resolves.toMatchObject({ status: 200 });

    await proxy.set({ kind: "reset", share: 0.5 });
    const outcomes = [];
    for (let n = 0; n < 20; n += 1)
      outcomes.push(
        await send().then(
          () => "ok",
          (error) => errorCode(error),
        ),
      );
    // One write per request on a fresh connection, and the sequence draws below 0.5 half the time.
    expect(outcomes.filter((outcome) => outcome === "ECONNRESET")).toHaveLength(10);
    expect(outcomes.filter((outcome) => outcome === "ok")).toHaveLength(10);
    expect(seen).toHaveLength(1 + 10);
  });

  it("answers a share of requests with S3's SlowDown (or SQS's JSON error) and forwards the rest", async () => {
    await proxy.set({ kind: "http-error", status: 503, share: 0.3 });
    const answers = [];
    for (let n = 0; n < 100; n += 1) answers.push(await send({ body: String(n) }));
    const failed = answers.filter((answer) => answer.status === 503);
    expect(failed.length).toBe(30);
    expect(proxy.counts.errors).toBe(30);
    expect(failed[0]?.body).toContain("<Code>SlowDown</Code>");
    // Answered requests never reach the emulator; the others reach it once each.
    expect(seen.map((request) => request.body)).toEqual(
      answers.flatMap((answer, n) => (answer.status === 200 ? [String(n)] : [])),
    );

    await proxy.set({ kind: "http-error", status: 503, share: 1 });
    const sqs = await send({ headers: { "x-amz-target": "AmazonSQS.ReceiveMessage" } });
    expect(sqs.status).toBe(503);
    expect(JSON.parse(sqs.body)).toMatchObject({ __type: "com.amazonaws.sqs#ServiceUnavailable" });
  });

  it("refuses a fault it cannot apply, naming the field", async () => {
    await expect(proxy.set({ kind: "reset", share: 1.5 })).rejects.toThrow(
      "reset: share must be in [0, 1], got 1.5",
    );
    await expect(proxy.set({ kind: "http-error", status: 404, share: 0.1 })).rejects.toThrow(
      "http-error: status must be an integer from 500 to 599, got 404",
    );
    await expect(proxy.set({ kind: "delay", ms: -1 })).rejects.toThrow(
      "delay: ms must be a finite number >= 0, got -1",
    );
    expect(proxy.fault).toEqual({ kind: "pass" });
  });
});
