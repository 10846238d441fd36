/** Test support: loopback peers that fail the way a broken network does, for real-socket deadline tests. */
import { createServer, type Server, type Socket } from "node:net";

export interface LoopbackPeer {
  /** `http://127.0.0.1:<port>`, for a client's `endpoint`. */
  endpoint: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections the client still holds open. */
  readonly open: number;
  close(): Promise<void>;
}

/**
 * Starts a TCP server on 127.0.0.1 that runs `onConnection` for each accepted socket and keeps
 * count of them; close() destroys every socket it still holds.
 */
async function loopbackPeer(onConnection: (socket: Socket) => void): Promise<LoopbackPeer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
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
