/** A request handler that forwards each request, body and headers, to another origin and relays the answer (test proxies). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'undici';

/** Hop-by-hop headers of the answer that the relay sets itself. */
const HOP_BY_HOP = ['transfer-encoding', 'connection', 'keep-alive'];

export function forwardTo(origin: string): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      request(`${origin}${req.url ?? '/'}`, { method: req.method as 'GET', headers, body: chunks.length ? Buffer.concat(chunks) : null })
        .then(async (r) => {
          const body = Buffer.from(await r.body.arrayBuffer());
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !HOP_BY_HOP.includes(k)) out[k] = v;
          res.writeHead(r.statusCode, out).end(body);
        })
        .catch(() => res.destroy());
    });
  };
}
