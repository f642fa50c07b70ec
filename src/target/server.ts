/**
 * The embedded reference target: a strict implementation of the contract on node:http. Every
 * decision is a step of `TargetBehaviour`; this file only routes (by the spec's paths under
 * the spec's base path) and runs the steps in the order the rules require: authentication,
 * person id, Content-Type, body, image, Accept, store.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ConfigError } from '../errors.js';
import { loadSpec } from '../spec/load.js';
import type { OperationModel, SpecModel } from '../spec/model.js';
import { defaultBasePath, pathTemplatePattern } from '../spec/paths.js';
import { defaultBehaviour } from './behaviour.js';
import { newCredentials } from './credentials.js';
import { errorMediaType } from './errors.js';
import { ImageStore } from './store.js';
import type { TargetBehaviour, TargetContext, TargetCredentials } from './types.js';

export type { TargetBehaviour, TargetCredentials, TargetContext } from './types.js';
export { defaultBehaviour } from './behaviour.js';

export interface RunningTarget {
  /** The base URL, e.g. http://127.0.0.1:PORT/SuperOffice/api/v1 */
  url: string;
  credentials: TargetCredentials;
  persons: number[];
  requestCount(): number;
  close(): Promise<void>;
}

export interface ReferenceTargetOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  behaviour?: Partial<TargetBehaviour>;
  /** Default 32 MiB; larger bodies get 413. */
  maxBodyBytes?: number;
  specPath?: string;
  /** Default [1, 2, 3, 4, 5]. */
  persons?: number[];
  /** Overrides parts of the random credentials (e.g. an app token). */
  credentials?: Partial<TargetCredentials>;
}

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_PERSONS = [1, 2, 3, 4, 5];

interface Route {
  pattern: RegExp;
  operations: Map<string, OperationModel>;
}

function routes(model: SpecModel): Route[] {
  const byPath = new Map<string, Route>();
  for (const op of model.operations) {
    let route = byPath.get(op.path);
    if (!route) {
      route = { pattern: pathTemplatePattern(op.path), operations: new Map() };
      byPath.set(op.path, route);
    }
    route.operations.set(op.method, op);
  }
  return [...byPath.values()];
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

export async function startReferenceTarget(options: ReferenceTargetOptions = {}): Promise<RunningTarget> {
  const spec = await loadSpec(options.specPath);
  const model = spec.model;
  const behaviour: TargetBehaviour = { ...defaultBehaviour, ...options.behaviour };
  const persons = [...(options.persons ?? DEFAULT_PERSONS)];
  const credentials: TargetCredentials = { ...newCredentials(model), ...options.credentials };
  const ctx: TargetContext = { model, credentials, store: new ImageStore(persons), maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES };
  const basePath = defaultBasePath(spec.document);
  const table = routes(model);
  const challenge = [model.security.basic, model.security.ticket, model.security.bearer]
    .filter((s) => s !== undefined)
    .map((s) => `${s.scheme} realm="SuperOffice"`)
    .join(', ');
  let count = 0;

  const fail = (res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void => {
    const e = behaviour.errorBody(status, message, ctx);
    send(res, status, { 'Content-Type': e.contentType, ...extra }, e.body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://target.invalid');
    } catch {
      return fail(res, 400, 'The request URL is malformed.');
    }
    const auth = behaviour.authenticate(req.headers, ctx);
    if (!auth.ok) return fail(res, auth.status, auth.message, challenge && auth.status === 401 ? { 'WWW-Authenticate': challenge } : {});
    const path = url.pathname.startsWith(`${basePath}/`) ? url.pathname.slice(basePath.length) : undefined;
    let route: Route | undefined;
    let segment = '';
    for (const r of path === undefined ? [] : table) {
      const m = r.pattern.exec(path ?? '');
      if (m) {
        route = r;
        segment = m[1] ?? '';
        break;
      }
    }
    if (!route) return fail(res, 404, 'No such resource.');
    const op = route.operations.get(req.method ?? '');
    if (!op) return fail(res, 405, `The method ${req.method ?? ''} is not allowed here.`, { Allow: [...route.operations.keys()].join(', ') });
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return fail(res, 400, 'The person id is not valid: bad percent-encoding.');
    }
    const person = behaviour.parsePersonId(decoded, ctx);
    if (!person.ok) return fail(res, person.status, person.message);
    if (!behaviour.personExists(person.id, ctx)) return fail(res, 400, 'The person id is not valid: no such person.');

    if (model.save.includes(op)) {
      const decision = behaviour.checkContentType(req.headers['content-type'], ctx);
      if (!decision.ok) return fail(res, decision.status, decision.message);
      const body = await behaviour.readBody(req, ctx.maxBodyBytes);
      if (!body.ok) return fail(res, body.status, body.message, body.status === 413 ? { Connection: 'close' } : {});
      if (body.body.length === 0) return fail(res, 400, 'Image bitmap is missing from body (empty).');
      const image = await behaviour.extractImage(decision, body.body, ctx);
      if (!image.ok) return fail(res, image.status, image.message);
      const valid = await behaviour.validateImage(image.bytes, decision.kind === 'raw' ? decision.mediaType : undefined, ctx);
      if (!valid.ok) return fail(res, 400, `Image bitmap is not valid: ${valid.reason}`);
      const mediaType = behaviour.negotiate(req.headers.accept, ctx);
      if (mediaType === 'not-acceptable') return fail(res, 406, 'No response media type fits the Accept header.');
      const blobId = behaviour.storeImage(person.id, image.bytes, valid, ctx);
      return send(res, 200, { 'Content-Type': `${mediaType.type}; charset=utf-8` }, behaviour.serializeBlobId(mediaType, blobId));
    }
    if (op === model.getImage) {
      const answer = await behaviour.getImage(person.id, url.searchParams, ctx);
      if (answer.status >= 400) return fail(res, answer.status, String(answer.body));
      return send(res, answer.status, answer.contentType ? { 'Content-Type': answer.contentType } : {}, answer.body);
    }
    if (op === model.deleteImage) {
      const status = behaviour.deleteImage(person.id, ctx);
      if (!res.headersSent) res.writeHead(status).end();
      return;
    }
    if (op === model.getImageInfo) {
      const type = op.responses.get(200)?.[0]?.type ?? errorMediaType(ctx);
      return send(res, 200, { 'Content-Type': `${type}; charset=utf-8` }, JSON.stringify(behaviour.imageInfo(person.id, ctx)));
    }
    return fail(res, 404, 'No such resource.');
  }

  const server: Server = createServer(
    {
      headersTimeout: 15_000,
      requestTimeout: 120_000,
      keepAliveTimeout: 5_000,
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      count++;
      req.on('error', () => undefined);
      res.on('error', () => undefined);
      handle(req, res).catch(() => {
        // A step threw: answer 500 (a broken step is what the suite must see), never a stack trace.
        try {
          fail(res, 500, 'Internal error in the reference target.');
        } catch {
          res.destroy();
        }
      });
    },
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const e = behaviour.errorBody(status, 'The request is not valid HTTP.', ctx);
    const body = Buffer.from(e.body, 'utf8');
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: ${e.contentType}\r\nContent-Length: ${body.length}\r\n\r\n${e.body}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new ConfigError(`the reference target cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${e.code ?? e.message}`)),
    );
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.removeAllListeners('error');
      server.on('error', () => undefined);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${basePath}`,
    credentials,
    persons,
    requestCount: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The JSON shape of `serve --json`. */
export interface TargetDescription {
  url: string;
  credentials: { basic: { user: string; password: string }; soticket: string; bearer: string; session: { cookie: string; xsrfToken: string } };
  persons: number[];
}

export function describeTarget(t: RunningTarget): TargetDescription {
  const c = t.credentials;
  return {
    url: t.url,
    credentials: {
      basic: { user: c.basic.user, password: c.basic.password },
      soticket: c.soticket,
      bearer: c.bearer,
      session: { cookie: c.session.cookie, xsrfToken: c.session.xsrfToken },
    },
    persons: [...t.persons],
  };
}
