/**
 * A TCP relay on a free port in front of a real server (here PostgreSQL), that a test can cut
 * off as a network partition does: `partition()` drops the connections it relays and from then
 * on accepts new ones and never answers (no refusal, no reset), until `heal()`. The server
 * itself is never touched.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpPartition {
  readonly port: number;
  /** `url` with its host and port replaced by the relay's. */
  through(url: string): string;
  /** Drops the relayed connections; new ones are accepted and left unanswered. */
  partition(): void;
  /** New connections are relayed again. */
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpPartition(target: {
  readonly host: string;
  readonly port: number;
}): Promise<TcpPartition> {
  const sockets = new Set<Socket>();
  let cut = false;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    // A dropped connection errs on the other side's end; nothing to report here.
    s.on('error', () => s.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (cut) return; // accepted, and never answered
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port,
    through(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    partition() {
      cut = true;
      for (const s of sockets) s.destroy();
    },
    heal() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
