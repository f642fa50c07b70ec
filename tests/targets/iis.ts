/**
 * A conforming target with IIS in front of ASP.NET (contract notes, "Platform facts": IIS may
 * answer chunked, close the connection after each answer, send several `WWW-Authenticate`
 * challenges, and take a few hundred milliseconds to save an image; "Errors": some versions say
 * `Message` instead of `ErrorMessage`). The reference target with its `errorBody` step writing
 * `Message`, behind a node:http relay that
 *
 * - answers every response chunked (no Content-Length) with `Connection: close`,
 * - replaces the challenges of a 401 with IIS's own, one header line each: `Negotiate`, `NTLM`,
 *   `Basic realm="SuperOffice"` (Windows and Basic authentication switched on in IIS),
 * - adds `Server: Microsoft-IIS/10.0` and `X-Powered-By: ASP.NET`,
 * - holds each 2xx answer to a PUT or POST of an image for `saveDelayMs` (150 ms by default;
 *   thumbnails are made).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import { embeddedCredentials } from '../../src/run/target.js';
import { startReferenceTarget } from '../../src/target/server.js';
import type { TargetBehaviour } from '../../src/target/types.js';
import type { StartedTarget } from './index.js';
import { listenOnLoopback } from '../support/loopback.js';

/** The challenges IIS sends on a 401 with Windows and Basic authentication switched on. */
export const IIS_CHALLENGES: readonly string[] = ['Negotiate', 'NTLM', 'Basic realm="SuperOffice"'];

export const DEFAULT_SAVE_DELAY_MS = 150;

/** Request headers that belong to one hop: the relay's client sets its own. */
const REQUEST_HOP_HEADERS = ['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'expect', 'te', 'trailer', 'upgrade', 'proxy-connection'];
/** Answer headers the relay decides itself. */
const ANSWER_HOP_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'www-authenticate'];

/** The `errorBody` step with `Message` in place of `ErrorMessage`, as some SuperOffice versions write it. */
const messageErrorBehaviour: Partial<TargetBehaviour> = {
  errorBody: (status, message, ctx) => {
    const e = d.errorBody(status, message, ctx);
    const { ErrorMessage, ...rest } = JSON.parse(e.body) as Record<string, unknown>;
    return { contentType: e.contentType, body: JSON.stringify({ ...rest, Message: ErrorMessage }) };
  },
};

export interface IisOptions {
  saveDelayMs?: number;
}

function isImageSave(req: IncomingMessage): boolean {
  return (req.method === 'PUT' || req.method === 'POST') && /\/Image\/?(?:\?|$)/i.test(req.url ?? '');
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface IisCounts {
  challenged: number;
  slowSaves: number;
}

/** Relays one exchange to `origin` and answers it the IIS way. */
async function relay(origin: string, req: IncomingMessage, res: ServerResponse, saveDelayMs: number, counts: IisCounts): Promise<void> {
  const body = await readAll(req);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !REQUEST_HOP_HEADERS.includes(k)) headers[k] = v;
  const answer = await request(`${origin}${req.url ?? '/'}`, { method: req.method as 'GET', headers, body: body.length > 0 || req.method === 'PUT' || req.method === 'POST' ? body : null });
  const bytes = Buffer.from(await answer.body.arrayBuffer());
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !ANSWER_HOP_HEADERS.includes(k)) out[k] = v;
  out['server'] = 'Microsoft-IIS/10.0';
  out['x-powered-by'] = 'ASP.NET';
  out['connection'] = 'close';
  if (answer.statusCode === 401) {
    out['www-authenticate'] = [...IIS_CHALLENGES];
    counts.challenged++;
  }
  if (isImageSave(req) && answer.statusCode >= 200 && answer.statusCode < 300) {
    counts.slowSaves++;
    await sleep(saveDelayMs);
  }
  // No Content-Length: node:http sends the body chunked (HTTP/1.1) and closes the connection after it.
  res.writeHead(answer.statusCode, out);
  res.end(bytes);
}

export async function startIisTarget(options: IisOptions = {}): Promise<StartedTarget> {
  const saveDelayMs = options.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS;
  const t = await startReferenceTarget({ behaviour: messageErrorBehaviour });
  const upstream = new URL(t.url);
  const counts: IisCounts = { challenged: 0, slowSaves: 0 };
  const server: Server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    relay(upstream.origin, req, res, saveDelayMs, counts).catch(() => res.destroy());
  });
  const listening = await listenOnLoopback(server);
  return {
    url: `${listening.origin}${upstream.pathname}`,
    credentials: embeddedCredentials(t),
    persons: t.persons,
    exercised: () => ({ '401s with IIS challenges': counts.challenged, 'saves held': counts.slowSaves }),
    close: async () => {
      await listening.close();
      await t.close();
    },
  };
}
