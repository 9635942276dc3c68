// A TCP proxy on a loopback port of the test process, in front of a real server, that can stop
// forwarding bytes: to the client on the other side the server looks hung (connected, silent),
// while the real server is never touched.
import net from 'node:net';

export interface PausableProxy {
  port: number;
  /** Stops passing bytes either way; connections stay open. */
  pause(): void;
  /** Drops every connection (both ends), as a network that gave up would. */
  dropAll(): void;
  close(): Promise<void>;
}

export async function pausableProxy(target: { host: string; port: number }): Promise<PausableProxy> {
  let paused = false;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    track(client);
    track(upstream);
    const forward = (from: net.Socket, to: net.Socket): void => {
      from.on('data', (chunk) => {
        if (!paused) to.write(chunk);
      });
      from.on('close', () => {
        if (!paused) to.destroy();
      });
    };
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    pause() {
      paused = true;
    },
    dropAll() {
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
