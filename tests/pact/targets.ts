/** Targets for the verification tests: the reference target, a broken variant, or a rewriting proxy in front of it. */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { embeddedCredentials, type OpenTarget } from '../../src/run/target.js';
import { startReferenceTarget, type ReferenceTargetOptions, type RunningTarget } from '../../src/target/server.js';
import { listenOnLoopback } from '../support/loopback.js';

function asOpenTarget(running: RunningTarget, baseUrl: string = running.url, close: () => Promise<void> = () => running.close()): OpenTarget {
  const personId = running.persons[0];
  return { baseUrl, credentials: embeddedCredentials(running), ...(personId !== undefined ? { personId } : {}), embedded: true, close };
}

export async function referenceTarget(options: ReferenceTargetOptions = {}): Promise<{ running: RunningTarget; target: OpenTarget }> {
  const running = await startReferenceTarget(options);
  return { running, target: asOpenTarget(running) };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A proxy in front of the reference target that lets `rewrite` change answers. `rewrite` sees the
 * request's method and headers; it is the broken behaviour under test.
 */
export async function rewritingProxy(rewrite: (req: { method: string; headers: IncomingHttpHeaders }, answer: Answer) => Answer): Promise<{ running: RunningTarget; target: OpenTarget }> {
  const running = await startReferenceTarget();
  const upstream = new URL(running.url);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on('data', (c: Buffer) => body.push(c));
          upRes.on('end', () => {
            const a = rewrite({ method: req.method ?? '', headers: req.headers }, { status: upRes.statusCode ?? 502, headers: upRes.headers, body: Buffer.concat(body) });
            const headers = { ...a.headers, 'content-length': String(a.body.length) };
            delete headers['transfer-encoding'];
            res.writeHead(a.status, headers);
            res.end(a.body);
          });
        },
      );
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  const listening = await listenOnLoopback(server);
  const baseUrl = `${listening.origin}${upstream.pathname}`;
  const close = async () => {
    await listening.close();
    await running.close();
  };
  return { running, target: asOpenTarget(running, baseUrl, close) };
}
