import { createServer, get } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "./index.js";

/** When an app's loop last made progress; `beat()` is called by the loop, never by a timer. */
export class Heartbeat {
  private last: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.last = now();
  }

  beat(): void {
    this.last = this.now();
  }

  ageSeconds(): number {
    return (this.now() - this.last) / 1000;
  }
}

export interface HeartbeatEndpoint {
  port: number;
  close(): Promise<void>;
}

/**
 * Answers `GET <path>` on 127.0.0.1:`port` with `{"ageSeconds":…}` (404 for anything else). The
 * server does not keep the process alive: the app exits when its loop ends, as before.
 */
export async function serveHeartbeat(
  heartbeat: Heartbeat,
  options: { port: number; path: string },
): Promise<HeartbeatEndpoint> {
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url !== options.path) {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.stringify({ ageSeconds: Math.round(heartbeat.ageSeconds() * 1000) / 1000 });
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.unref();
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface HeartbeatVerdict {
  healthy: boolean;
  /** One line for the health check's output, e.g. `heartbeat 71.2 s old (limit 60 s)`. */
  detail: string;
}

/** Asks the endpoint for the heartbeat's age: healthy when it answers within `timeoutMs` and the age is under the limit. */
export function checkHeartbeat(options: {
  port: number;
  path: string;
  staleAfterSeconds: number;
  timeoutMs: number;
}): Promise<HeartbeatVerdict> {
  const limit = `limit ${options.staleAfterSeconds} s`;
  return new Promise((resolve) => {
    const request = get(
      { host: "127.0.0.1", port: options.port, path: options.path, timeout: options.timeoutMs, agent: false },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => {
          const age = (() => {
            try {
              return (JSON.parse(body) as { ageSeconds?: unknown }).ageSeconds;
            } catch {
              return undefined;
            }
          })();
          if (response.statusCode !== 200 || typeof age !== "number")
            resolve({
              healthy: false,
              detail: `heartbeat endpoint answered ${response.statusCode}: ${body}`,
            });
          else
            resolve({
              healthy: age < options.staleAfterSeconds,
              detail: `heartbeat ${age.toFixed(1)} s old (${limit})`,
            });
        });
      },
    );
    request.once("timeout", () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.once("error", (error) =>
      resolve({ healthy: false, detail: `heartbeat endpoint unreachable: ${error.message}` }),
    );
  });
}

/** Serves the heartbeat for an app; a port already taken is logged, and the app runs on without it. */
export async function startHeartbeatEndpoint(
  heartbeat: Heartbeat,
  options: { port: number; path: string },
  log: Logger,
): Promise<HeartbeatEndpoint | undefined> {
  try {
    return await serveHeartbeat(heartbeat, options);
  } catch (error) {
    // The health check then fails and ECS replaces the task: louder than a crash loop, same outcome.
    log.error("heartbeat endpoint not served", { port: options.port, error });
    return undefined;
  }
}

/**
 * The health check command's body: `[--stale-after <seconds>]`, prints the verdict on one line and
 * returns the exit code ECS reads (0 healthy, 1 unhealthy).
 */
export async function runHeartbeatCheck(
  argv: readonly string[],
  defaults: { port: number; path: string; staleAfterSeconds: number; requestTimeoutMs: number },
): Promise<number> {
  let staleAfterSeconds = defaults.staleAfterSeconds;
  const flag = argv.indexOf("--stale-after");
  if (flag !== -1) {
    staleAfterSeconds = Number(argv[flag + 1]);
    if (!(staleAfterSeconds > 0)) {
      process.stdout.write(`--stale-after needs a number of seconds above 0, got ${argv[flag + 1]}\n`);
      return 1;
    }
  }
  const verdict = await checkHeartbeat({
    port: defaults.port,
    path: defaults.path,
    staleAfterSeconds,
    timeoutMs: defaults.requestTimeoutMs,
  });
  process.stdout.write(`${verdict.healthy ? "healthy" : "unhealthy"}: ${verdict.detail}\n`);
  return verdict.healthy ? 0 : 1;
}
