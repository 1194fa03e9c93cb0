/**
 * Socket Mode, as Slack speaks it: `apps.connections.open` (app-level token) hands out a
 * wss URL; the client connects (RFC 6455, here over ws:// on loopback), receives `hello`, then
 * envelopes (`slash_commands`, `interactive`, `events_api`) that it must ack by sending back
 * `{ envelope_id, payload }`. A minimal WebSocket server: text, ping/pong and close frames.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface SocketAck {
  readonly envelopeId: string;
  readonly payload: unknown;
  readonly ackMs: number;
}

interface Pending {
  readonly started: number;
  readonly resolve: (a: SocketAck) => void;
  readonly timer: NodeJS.Timeout;
}

function frame(opcode: number, data: Buffer): Buffer {
  const len = data.length;
  const head =
    len < 126
      ? Buffer.from([0x80 | opcode, len])
      : len < 65536
        ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
        : (() => {
            const h = Buffer.alloc(10);
            h[0] = 0x80 | opcode;
            h[1] = 127;
            h.writeBigUInt64BE(BigInt(len), 2);
            return h;
          })();
  return Buffer.concat([head, data]);
}

export class SocketModeHub {
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<Duplex>();
  private readonly pending = new Map<string, Pending>();
  private readonly appId: string;

  constructor(appId: string) {
    this.appId = appId;
  }

  /** A one-time URL for `apps.connections.open`. */
  issueUrl(baseUrl: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${baseUrl.replace(/^http/, 'ws')}/socket-mode?ticket=${ticket}`;
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Handle an HTTP upgrade; false when it is not a Socket Mode URL. */
  accept(req: IncomingMessage, socket: Duplex): boolean {
    const url = new URL(req.url ?? '/', 'http://standin.local');
    if (url.pathname !== '/socket-mode') return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    const key = req.headers['sec-websocket-key'];
    if (!this.tickets.delete(ticket) || typeof key !== 'string') {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return true;
    }
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.sockets.add(socket);
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const parsed = this.readFrame(buf);
        if (!parsed) break;
        buf = buf.subarray(parsed.size);
        this.onFrame(socket, parsed.opcode, parsed.data);
      }
    });
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => this.sockets.delete(socket));
    this.sendJson(socket, {
      type: 'hello',
      num_connections: this.sockets.size,
      debug_info: { host: 'sopbot-standin', approximate_connection_time: 18060 },
      connection_info: { app_id: this.appId },
    });
    return true;
  }

  /**
   * Send an envelope to one connected client (Slack picks one) and resolve with its ack.
   * Rejects when no client is connected or no ack comes within `timeoutMs`.
   */
  send(
    type: 'slash_commands' | 'interactive' | 'events_api',
    payload: unknown,
    timeoutMs = 3000,
  ): Promise<SocketAck> {
    const socket = [...this.sockets][0];
    if (!socket) return Promise.reject(new Error('standin: no Socket Mode client is connected'));
    const envelopeId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`standin: no ack for ${type} envelope within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(envelopeId, { started: performance.now(), resolve, timer });
      this.sendJson(socket, {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
      });
    });
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }

  private sendJson(socket: Duplex, body: unknown): void {
    socket.write(frame(0x1, Buffer.from(JSON.stringify(body))));
  }

  private onFrame(socket: Duplex, opcode: number, data: Buffer): void {
    if (opcode === 0x9) socket.write(frame(0xa, data));
    else if (opcode === 0x8) {
      socket.write(frame(0x8, data.subarray(0, 2)));
      socket.end();
    } else if (opcode === 0x1) {
      let msg: { envelope_id?: string; payload?: unknown };
      try {
        msg = JSON.parse(data.toString('utf8'));
      } catch {
        return;
      }
      const p = msg.envelope_id ? this.pending.get(msg.envelope_id) : undefined;
      if (!p || !msg.envelope_id) return;
      clearTimeout(p.timer);
      this.pending.delete(msg.envelope_id);
      p.resolve({
        envelopeId: msg.envelope_id,
        payload: msg.payload ?? {},
        ackMs: performance.now() - p.started,
      });
    }
  }

  /** One client frame (masked, as RFC 6455 requires of clients), or null if incomplete. */
  private readFrame(buf: Buffer): { opcode: number; data: Buffer; size: number } | null {
    if (buf.length < 2) return null;
    const opcode = buf[0]! & 0x0f;
    const masked = (buf[1]! & 0x80) !== 0;
    let len = buf[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (buf.length < 4) return null;
      len = buf.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (buf.length < 10) return null;
      len = Number(buf.readBigUInt64BE(2));
      off = 10;
    }
    const maskLen = masked ? 4 : 0;
    if (buf.length < off + maskLen + len) return null;
    const mask = masked ? buf.subarray(off, off + 4) : null;
    const data = Buffer.from(buf.subarray(off + maskLen, off + maskLen + len));
    if (mask) for (let i = 0; i < data.length; i++) data[i]! ^= mask[i % 4]!;
    return { opcode, data, size: off + maskLen + len };
  }
}
