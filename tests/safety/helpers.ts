/** Misbehaving servers on 127.0.0.1 for the safety tests, and reads of the person's image straight from the reference target. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import sharp from 'sharp';
import { request } from 'undici';
import type { RunningTarget } from '../../src/target/server.js';

function basic(t: RunningTarget): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${t.credentials.basic.user}:${t.credentials.basic.password}`).toString('base64')}` };
}

/** A small PNG unlike anything the generators make, to tell the person's own image apart. */
export async function ownImage(): Promise<Buffer> {
  return sharp({ create: { width: 7, height: 5, channels: 3, background: { r: 12, g: 200, b: 99 } } }).png().toBuffer();
}

/** Puts `bytes` as the person's image directly on the reference target. */
export async function setImage(t: RunningTarget, person: number, bytes: Buffer): Promise<void> {
  const r = await request(`${t.url}/Person/${person}/Image`, { method: 'PUT', headers: { ...basic(t), 'content-type': 'image/png' }, body: bytes });
  await r.body.dump();
  if (r.statusCode !== 200) throw new Error(`setImage: ${r.statusCode}`);
}

/** The person's image bytes and ImageInfo BlobId, read directly from the reference target. */
export async function imageState(t: RunningTarget, person: number): Promise<{ status: number; bytes: Buffer; blobId: unknown }> {
  const r = await request(`${t.url}/Person/${person}/Image`, { headers: basic(t) });
  const bytes = Buffer.from(await r.body.arrayBuffer());
  const i = await request(`${t.url}/Person/${person}/ImageInfo`, { headers: { ...basic(t), accept: 'application/json' } });
  const info = (await i.body.json()) as { BlobId?: unknown };
  return { status: r.statusCode, bytes, blobId: info.BlobId };
}

export type Fault = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export interface FaultProxy {
  url: string;
  port: number;
  /** Save requests (PUT/POST of an Image) seen, and how many got the fault. */
  saves(): number;
  faults(): number;
  /**
   * Stops listening and drops every connection: connections are refused. The port stays held
   * (see holdPort), so no other program can take it before `resume` listens on it again.
   */
  goAway(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

function isSave(req: IncomingMessage): boolean {
  return (req.method === 'PUT' || req.method === 'POST') && /\/Image\/?$/.test((req.url ?? '').split('?')[0]!);
}

/**
 * Forwards to the target, but answers the save requests that `faulty(n, body)` picks (n counts
 * saves from 1; body is the request body as sent) with `fault` instead.
 */
export async function startFaultProxy(targetUrl: string, faulty: (n: number, body: Buffer) => boolean, fault: Fault): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  let saves = 0;
  let faults = 0;
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => {});
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (isSave(req) && faulty(++saves, body)) {
        faults++;
        fault(req, res, body);
        return;
      }
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      delete headers['transfer-encoding'];
      headers['content-length'] = String(body.length);
      request(`${target.origin}${req.url ?? '/'}`, { method: req.method as 'GET', headers, body: body.length ? body : null })
        .then(async (r) => {
          const out = Buffer.from(await r.body.arrayBuffer());
          const h: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !['transfer-encoding', 'connection', 'keep-alive', 'content-length'].includes(k)) h[k] = v;
          res.writeHead(r.statusCode, h).end(out);
        })
        .catch(() => res.destroy());
    });
  };
  let server: Server = createServer(handler);
  const track = (s: Server) => s.on('connection', (c: Socket) => { sockets.add(c); c.on('close', () => sockets.delete(c)); });
  track(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      for (const s of sockets) s.destroy();
    });
  let release: (() => Promise<void>) | undefined;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    port,
    saves: () => saves,
    faults: () => faults,
    goAway: async () => {
      const closed = stop();
      release = await holdPort(port);
      await closed;
    },
    resume: async () => {
      server = createServer(handler);
      track(server);
      // Listens while the port is still held (allowed beside a connection), then lets the hold go: the port is never free.
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
      await release?.();
      release = undefined;
    },
    close: async () => {
      await release?.();
      release = undefined;
      await stop();
    },
  };
}

/**
 * Holds a port that nothing listens on any more: a connection from that local port to a listener
 * of our own. Connections to the port are refused (no listener), and no other program can bind
 * it. Returns what lets it go. Tries again for a moment while the closed listener still holds it.
 */
async function holdPort(port: number): Promise<() => Promise<void>> {
  const sink = createNetServer((s) => s.on('error', () => {}));
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const sinkPort = (sink.address() as AddressInfo).port;
  const release = (s?: Socket) => async () => {
    s?.destroy();
    await new Promise<void>((r) => sink.close(() => r()));
  };
  for (let attempt = 1; ; attempt++) {
    try {
      const held = await new Promise<Socket>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port: sinkPort, localAddress: '127.0.0.1', localPort: port });
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      });
      held.on('error', () => {});
      return release(held);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 100) {
        await release()();
        throw new Error(`could not hold port ${port} while the proxy is away: ${(e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** The faults of the safety tests. */
export const faults: Record<string, Fault> = {
  /** Never answers (until the client gives up). */
  slow: (req) => {
    req.socket.setTimeout(60_000);
  },
  reset: (req) => {
    req.socket.resetAndDestroy();
  },
  /** Promises 200 bytes, sends 10 and closes. */
  truncated: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
    res.write('1234567890');
    res.socket?.destroy();
  },
  /** 40 MiB of non-JSON under 200 application/json. */
  oversized: (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x78);
    let left = 40;
    const pump = () => {
      while (left > 0) {
        left--;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('error', () => {});
    pump();
  },
  /** Content-Length larger than the body, the connection left open: the body never completes. */
  'wrong-content-length': (req) => {
    req.socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n42');
  },
  /** Not HTTP at all. */
  garbage: (req) => {
    req.socket.end('SSH-2.0-OpenSSH_9.6\r\n\x00\x01\x02 this is no HTTP\r\n\r\n');
  },
  /** 500 with the SuperOffice error shape. */
  error500: (_req, res) => {
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"Error":true,"ErrorType":"Exception","ErrorMessage":"sick"}');
  },
};
