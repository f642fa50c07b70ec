/**
 * A second implementation that is lenient but conforming: it uses every freedom the rules allow.
 * 404 for person segments that are no int32, 415 for undeclared Content-Types, 403 for bad
 * credentials, XML with a declaration, damage behind a readable header tolerated, and (through
 * `startThrottlingProxy`) a 429 with Retry-After now and then.
 */
import { createServer, type Server } from 'node:http';
import sharp from 'sharp';
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import { sniffImageFormat as sniffFormat } from '../../src/generate/images/media-types.js';
import type { TargetBehaviour } from '../../src/target/types.js';
import { forwardTo } from '../support/forward.js';
import { wholeHeader } from '../support/whole-header.js';
import { listenOnLoopback } from '../support/loopback.js';

export const lenientBehaviour: Partial<TargetBehaviour> = {
  authenticate: (h, c) => {
    const r = d.authenticate(h, c);
    return r.ok ? r : { ...r, status: 403 };
  },
  // An int32 (-2^31 .. 2^31-1, as ASP.NET binds it) goes on to the usual checks; anything else is no route here.
  parsePersonId: (s, c) => (/^-?\d+$/.test(s) && Number(s) >= -(2 ** 31) && Number(s) < 2 ** 31 ? d.parsePersonId(s, c) : { ok: false, status: 404, message: 'No such resource.' }),
  checkContentType: (t, c) => {
    const r = d.checkContentType(t, c);
    return r.ok ? r : { ...r, status: 415 };
  },
  serializeBlobId: (m, id) => (m.family === 'xml' ? `<?xml version="1.0" encoding="utf-8"?>\n${d.serializeBlobId(m, id)}` : d.serializeBlobId(m, id)),
  validateImage: async (b, t, c) => {
    const v = await d.validateImage(b, t, c);
    // A decoder that tolerates damage: a known signature with a whole, readable, non-zero header passes.
    const format = sniffFormat(b);
    // Tolerance is for damage behind a whole header only: an incomplete header or zero width or height is no freedom
    // the rules leave (libtiff reads a cut IFD, and sharp's metadata() a GIF's 0 as 1, so both are refused here first).
    if (v.ok || !format || !wholeHeader(b) || /zero width or height/.test(v.reason)) return v;
    const meta = await sharp(b).metadata().catch(() => undefined);
    if (!meta?.width || !meta.height) return v;
    return { ok: true, format, mediaType: c.model.imageMediaTypes.find((t) => t.endsWith(format)) ?? 'image/png', width: meta.width, height: meta.height, pages: meta.pages ?? 1 };
  },
};

export interface Proxy {
  url: string;
  throttled(): number;
  close(): Promise<void>;
}

/** Forwards to `targetUrl`, answering every `every`-th request with 429 and `Retry-After: 0`. */
export async function startThrottlingProxy(targetUrl: string, every = 15): Promise<Proxy> {
  const target = new URL(targetUrl);
  let n = 0;
  let throttled = 0;
  const forward = forwardTo(target.origin);
  const server: Server = createServer((req, res) => {
    n++;
    if (n % every === 0) {
      throttled++;
      req.resume();
      res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"Error":true,"ErrorType":"Throttled","ErrorMessage":"slow down"}');
      return;
    }
    forward(req, res);
  });
  const listening = await listenOnLoopback(server);
  return { url: `${listening.origin}${target.pathname}`, throttled: () => throttled, close: listening.close };
}
