/**
 * The reference target's node:http server: its limits, each request handed to `handle` (a step
 * that throws answers 500, never a stack trace), malformed HTTP answered by hand on the socket,
 * listening on the asked address and closing with every connection.
 */
import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ConfigError } from '../errors.js';
import { handle } from './handle.js';
import { fail, type TargetRuntime } from './respond.js';

/** A server answering with `rt`; `onRequest` is called once per request. */
export function createTargetServer(rt: TargetRuntime, onRequest: () => void): Server {
  const server = createServer(
    // Stryker disable next-line all: node:http's limits for the embedded server, not the contract (the suite sends no slow or oversized headers)
    {
      headersTimeout: 15_000,
      requestTimeout: 120_000,
      keepAliveTimeout: 5_000,
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      onRequest();
      // Stryker disable next-line StringLiteral: only a client that breaks off its request or goes away makes these streams fail; the suite sends none (as body.ts)
      req.on('error', () => undefined);
      // Stryker disable next-line StringLiteral: as above
      res.on('error', () => undefined);
      // Stryker disable next-line BlockStatement: only a step that throws reaches this, and no request makes a step of the reference target throw (a 500 from here would fail no-server-error in the plain run)
      handle(rt, req, res).catch(() => {
        // A step threw: answer 500 (a broken step is what the suite must see), never a stack trace.
        // Stryker disable next-line BlockStatement: as above
        try {
          // Stryker disable next-line StringLiteral: a free-text message (the contract fixes no ErrorMessage)
          fail(rt, res, 500, 'Internal error in the reference target.');
        }
        // Stryker disable next-line BlockStatement: as above
        catch {
          res.destroy();
        }
      });
    },
  );
  // Stryker disable next-line StringLiteral,ArrowFunction: malformed HTTP is the embedded server's own business (see answerClientError); the suite sends well-formed HTTP
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(rt, err, socket));
  return server;
}

// Stryker disable all: malformed HTTP, a failure to listen and IPv6 addresses are the embedded server's own business; the suite sends well-formed HTTP to 127.0.0.1 (mutation/README.md)
/** Answers a request node:http could not parse (431, 408 or 400) and closes the connection. */
function answerClientError(rt: TargetRuntime, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const e = rt.behaviour.errorBody(status, 'The request is not valid HTTP.', rt.ctx);
  const body = Buffer.from(e.body, 'utf8');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: ${e.contentType}\r\nContent-Length: ${body.length}\r\n\r\n${e.body}`);
}

/** Listens on host:port; a failure to listen is a ConfigError, later server errors are ignored. */
export function listen(server: Server, host: string | undefined, port: number | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new ConfigError(`the reference target cannot listen on ${host ?? '127.0.0.1'}:${port ?? 0}: ${e.code ?? e.message}`)),
    );
    server.listen(port ?? 0, host ?? '127.0.0.1', () => {
      server.removeAllListeners('error');
      server.on('error', () => undefined);
      resolve();
    });
  });
}

/** The base URL of a listening server, e.g. http://127.0.0.1:PORT/SuperOffice/api/v1 */
export function listeningUrl(server: Server, basePath: string): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}${basePath}`;
}

// Stryker restore all

/** Stops listening and closes every connection, idle or not. */
// Stryker disable next-line BlockStatement: the harness's: a target left listening is no answer of the endpoint (as server.ts's close)
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
