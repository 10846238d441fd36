/** Test support: loopback peers that fail the way a broken network does, for real-socket deadline tests. */
import { createServer, type Server, type Socket } from "node:net";

export interface LoopbackPeer {
  /** `http://127.0.0.1:<port>`, for a client's `endpoint`. */
  endpoint: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections the client still holds open. */
  readonly open: number;
  /** When each connection's first bytes arrived (`performance.now()`), in order. */
  readonly arrivals: readonly number[];
  close(): Promise<void>;
}

/**
 * Starts a TCP server on 127.0.0.1 that runs `onConnection` for each accepted socket and keeps
 * count of them; close() destroys every socket it still holds.
 */
async function loopbackPeer(onConnection: (socket: Socket) => void): Promise<LoopbackPeer> {
  const sockets = new Set<Socket>();
  const arrivals: number[] = [];
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.once("data", () => arrivals.push(performance.now()));
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("loopback peer has no port");
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    get open() {
      return sockets.size;
    },
    arrivals,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A black hole: every connection is accepted, the request read, and no byte ever answered. */
export function blackHole(): Promise<LoopbackPeer> {
  return loopbackPeer((socket) => socket.resume());
}

/**
 * Answers every request with a 200 and its headers and `sentBytes` of a longer body, then goes
 * silent: a response that starts and never ends.
 */
export function stallsMidBody(sentBytes = 16): Promise<LoopbackPeer> {
  return loopbackPeer((socket) => {
    socket.once("data", () => {
      socket.write(
        [
          "HTTP/1.1 200 OK",
          "Content-Type: application/octet-stream",
          `Content-Length: ${sentBytes * 1000}`,
          "",
          "",
        ].join("\r\n"),
      );
      socket.write(Buffer.alloc(sentBytes, 1));
    });
    socket.resume();
  });
}

/** Runs `use` with a black hole that is closed afterwards, whatever `use` does. */
export async function withBlackHole<T>(use: (hole: LoopbackPeer) => Promise<T>): Promise<T> {
  const hole = await blackHole();
  try {
    return await use(hole);
  } finally {
    await hole.close();
  }
}

/** The peers a test file started, closed together (in its afterEach). */
export class PeerPool {
  private peers: LoopbackPeer[] = [];

  async start(start: () => Promise<LoopbackPeer>): Promise<LoopbackPeer> {
    const peer = await start();
    this.peers.push(peer);
    return peer;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.peers.splice(0).map((peer) => peer.close()));
  }
}
