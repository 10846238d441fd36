import { type Fault, validateFault } from "./fault.js";
import { startHttpErrors } from "./http-errors.js";
import { type GateCounts, TcpGate } from "./tcp-gate.js";

export interface FaultProxyCounts extends GateCounts {
  /** HTTP requests the proxy saw (answered or forwarded). */
  requests: number;
  /** Requests answered with an injected error status. */
  errors: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to the apps as their AWS endpoint. */
  readonly endpoint: string;
  readonly fault: Fault;
  readonly counts: FaultProxyCounts;
  /** Applies `fault` to every connection from now on (resolves once a refusal or its end has taken effect). */
  set(fault: Fault): Promise<void>;
  /** Back to passing every byte. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A fault-injecting proxy on 127.0.0.1 in front of `upstream` (an http:// endpoint on this
 * machine): a TCP gate (refuse, black-hole, delay, reset) relaying to an HTTP layer that answers a
 * share of requests with an error status and forwards the rest. A request or write is hit when
 * `random()` (in [0, 1), Math.random unless a test passes its own sequence) is below the share.
 */
export async function startFaultProxy(options: {
  upstream: string;
  random?: () => number;
}): Promise<FaultProxy> {
  const random = options.random ?? Math.random;
  let fault: Fault = { kind: "pass" };
  const counts = { requests: 0, errors: 0 };
  const http = await startHttpErrors(options.upstream, () => {
    counts.requests += 1;
    if (fault.kind !== "http-error" || random() >= fault.share) return undefined;
    counts.errors += 1;
    return fault.status;
  });
  const gate = await TcpGate.start(http.port);
  const apply = async (next: Fault) => {
    validateFault(next);
    fault = next;
    await gate.set(
      next.kind === "reset"
        ? { kind: "reset", resetNext: () => random() < next.share }
        : next.kind === "http-error"
          ? { kind: "pass" }
          : next,
    );
  };
  return {
    endpoint: `http://127.0.0.1:${gate.port}`,
    get fault() {
      return fault;
    },
    get counts() {
      return { ...gate.counts, ...counts };
    },
    set: apply,
    heal: () => apply({ kind: "pass" }),
    async close() {
      await gate.close();
      await http.close();
    },
  };
}
