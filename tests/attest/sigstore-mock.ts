/**
 * Sigstore on 127.0.0.1 for the keyless tests: @sigstore/mock's Fulcio and Rekor handlers (its
 * own CA, CT log and transparency log, keys made per server) behind one loopback HTTP server, so
 * the CLI in a child process signs against it (SO_SIGSTORE_FULCIO_URL / SO_SIGSTORE_REKOR_URL).
 * Under the base `/refuse`, both answer 400 (a Sigstore that turns the request down);
 * `/actions-token` is GitHub Actions' OIDC token endpoint, giving oidcToken(). A second
 * server is a trap for anything else: the child's HTTPS_PROXY/HTTP_PROXY point at it (NO_PROXY
 * keeps loopback direct), so a request meant for the real Sigstore lands there, is counted and
 * refused, and the test fails instead of reaching the network. Also an OIDC token the mock
 * accepts (it reads the claims and does not check the JWT's signature).
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTLog, rekorHandler } from '@sigstore/mock';

export interface MockSigstore {
  url: string;
  /** Requests by path (`/api/v2/signingCert`, `/api/v1/log/entries`, `/refuse/...`). */
  requests: string[];
  /** Requests to the GitHub Actions token endpoint (`${url}/actions-token`): the audience asked for and the Authorization header. */
  tokenRequests: { audience: string | null; authorization: string | undefined }[];
  /** Requests (or CONNECTs) that went anywhere but the mock: each would have left the machine. */
  escaped: () => string[];
  /** The environment a child needs: the mock's URLs and the proxy trap. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const listen = (server: Server) => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
const close = (server: Server) => new Promise<void>((r) => server.close(() => r()));

export async function startMockSigstore(): Promise<MockSigstore> {
  const keyPair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ca = await initializeCA(keyPair, await initializeCTLog(keyPair));
  const handlers = [fulcioHandler(ca), rekorHandler(await initializeTLog('http://127.0.0.1', generateKeyPairSync('ec', { namedCurve: 'prime256v1' })))];
  const requests: string[] = [];
  const tokenRequests: MockSigstore['tokenRequests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const path = req.url ?? '';
      requests.push(path);
      if (path.startsWith('/actions-token?')) {
        // GitHub Actions' token endpoint: a GET with the job's bearer token, the audience in the query.
        tokenRequests.push({ audience: new URL(path, 'http://x').searchParams.get('audience'), authorization: req.headers.authorization });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: oidcToken() }));
        return;
      }
      if (path.startsWith('/refuse/')) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 400, message: 'refused by the test' }));
        return;
      }
      const handler = req.method === 'POST' ? handlers.find((h) => h.path === path) : undefined;
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      void handler.fn(Buffer.concat(chunks).toString('utf8')).then((r) => res.writeHead(r.statusCode, { 'content-type': r.contentType ?? 'text/plain' }).end(r.response));
    });
  });
  const escaped: string[] = [];
  const trap = createServer((req, res) => {
    escaped.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  trap.on('connect', (req: { url?: string }, socket: NodeJS.WritableStream & { destroy(): void }) => {
    escaped.push(`CONNECT ${req.url ?? ''}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  const url = await listen(server);
  const trapUrl = await listen(trap);
  return {
    url,
    requests,
    tokenRequests,
    escaped: () => [...escaped],
    env: {
      SO_SIGSTORE_FULCIO_URL: url,
      SO_SIGSTORE_REKOR_URL: url,
      HTTPS_PROXY: trapUrl,
      HTTP_PROXY: trapUrl,
      https_proxy: trapUrl,
      http_proxy: trapUrl,
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
    },
    close: async () => {
      await close(server);
      await close(trap);
    },
  };
}

const base64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A GitHub Actions workflow's identity, as Fulcio certifies it (SAN) and the issuer that vouches for it. */
export const workflowIdentity = 'https://github.com/acme/crm-app/.github/workflows/conformance.yml@refs/heads/main';
export const actionsIssuer = 'https://token.actions.githubusercontent.com';

/** An unsigned JWT with GitHub Actions' claims; the mock Fulcio certifies its `sub` with its `iss`. */
export function oidcToken(claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({ iss: actionsIssuer, sub: workflowIdentity, aud: 'sigstore', iat: now, exp: now + 600, repository: 'acme/crm-app', ...claims })}.c2lnbmF0dXJl`;
}
