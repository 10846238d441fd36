import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";

/** What the gate does with the bytes of its connections now. */
export type GateMode =
  | { kind: "pass" }
  | { kind: "refuse" }
  | { kind: "black-hole" }
  | { kind: "delay"; ms: number }
  | { kind: "reset"; resetNext: () => boolean };

export interface GateCounts {
  connections: number;
  resets: number;
  /** Connections that lost bytes in a black hole (silent for good). */
  swallowed: number;
}

interface Link {
  client: Socket;
  server: Socket;
  /** Lost bytes in a black hole: nothing passes on it again. */
  lost: boolean;
}

/**
 * A TCP relay on 127.0.0.1 to `targetPort` whose mode applies to every connection at once:
 * refuse (the listener closes), black-hole, delay, or reset a share of writes.
 */
export class TcpGate {
  private mode: GateMode = { kind: "pass" };
  private readonly links = new Set<Link>();
  private server: Server | undefined;
  readonly counts: GateCounts = { connections: 0, resets: 0, swallowed: 0 };

  private constructor(
    private readonly targetPort: number,
    public port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpGate> {
    const gate = new TcpGate(targetPort, 0);
    await gate.listen();
    return gate;
  }

  async set(mode: GateMode): Promise<void> {
    const wasRefusing = this.mode.kind === "refuse";
    this.mode = mode;
    if (mode.kind === "refuse" && !wasRefusing) {
      const server = this.server;
      this.server = undefined;
      for (const link of this.links) this.reset(link);
      await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    } else if (mode.kind !== "refuse" && wasRefusing) {
      await this.listen();
    }
  }

  async close(): Promise<void> {
    for (const link of this.links) this.reset(link);
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  }

  /** Listens on the gate's port (any free port the first time; the same one after a refusal). */
  private listen(): Promise<void> {
    const server = createServer((client) => this.accept(client));
    return new Promise((resolve, reject) => {
      server.once("error", (error) =>
        reject(
          new Error(`the fault proxy could not listen on 127.0.0.1:${this.port} again: ${error.message}`),
        ),
      );
      server.listen(this.port, "127.0.0.1", () => {
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private accept(client: Socket): void {
    this.counts.connections += 1;
    const server = connect(this.targetPort, "127.0.0.1");
    const link: Link = { client, server, lost: false };
    this.links.add(link);
    client.setNoDelay(true);
    server.setNoDelay(true);
    this.relay(link, client, server, true);
    this.relay(link, server, client, false);
    const forget = () => {
      this.links.delete(link);
      client.destroy();
      server.destroy();
    };
    // A client that gives up ends the link; the server side going away is silent on a lost link.
    client.once("close", forget);
    client.once("error", forget);
    server.once("error", () => (link.lost ? server.destroy() : forget()));
    server.once("close", () => {
      if (link.lost) return;
      // The server's close in a black hole never reaches the client.
      if (this.mode.kind === "black-hole") this.lose(link);
      // After the delayed chunks still on their way to the client.
      else setTimeout(forget, this.mode.kind === "delay" ? this.mode.ms : 0);
    });
  }

  private relay(link: Link, from: Socket, to: Socket, fromClient: boolean): void {
    from.on("data", (chunk: Buffer) => {
      if (link.lost) return;
      const mode = this.mode;
      if (mode.kind === "black-hole") {
        this.lose(link);
        return;
      }
      if (mode.kind === "reset" && fromClient && mode.resetNext()) {
        this.reset(link);
        return;
      }
      if (mode.kind === "delay" && mode.ms > 0) {
        // Order is kept: every chunk of a direction waits the same time, and timers of equal delay fire in order.
        setTimeout(() => {
          if (!link.lost && !to.destroyed) to.write(chunk);
        }, mode.ms);
        return;
      }
      if (!to.destroyed) to.write(chunk);
    });
    from.on("end", () => {
      if (link.lost || this.mode.kind === "black-hole") return;
      const delay = this.mode.kind === "delay" ? this.mode.ms : 0;
      setTimeout(() => {
        if (!to.destroyed) to.end();
      }, delay);
    });
  }

  private lose(link: Link): void {
    link.lost = true;
    this.counts.swallowed += 1;
  }

  private reset(link: Link): void {
    this.counts.resets += 1;
    this.links.delete(link);
    link.client.resetAndDestroy();
    link.server.destroy();
  }
}
