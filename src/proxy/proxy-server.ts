/**
 * The checking proxy: a node:http server on a loopback address (another only when told), every
 * request relayed to the target (src/proxy/relay.ts) and judged by the session, whose body
 * inspection runs in a low-priority child process (inspector-process.ts). `close` stops listening,
 * waits for the exchanges under way and for their judging, then ends that child.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadClientRules, loadRules } from '../spec/rules.js';
import { assertClientChecksMatchRules } from '../checks/client/index.js';
import { checkContext } from '../checks/validators.js';
import { ConfigError } from '../errors.js';
import { loadSpec } from '../spec/load.js';
import { Forwarder } from '../transport/forward.js';
import { Redactor } from '../transport/redact.js';
import { BodyInspector } from './inspector-process.js';
import { relayHandler } from './relay.js';
import { routeReader } from './route.js';
import { serverRulesJudged } from './server-judge.js';
import { ProxySession } from './session.js';

export interface ProxyOptions {
  /** The target's base URL, up to and including /api/v1. */
  targetUrl: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** The request rate the client must stay under, per second. */
  rate: number;
  /** Whether the target is SuperOffice Online; default: read from its URL (isOnlineTarget). */
  online?: boolean;
  /** How long the target may take to answer (its head, and between chunks of its body). */
  timeoutMs: number;
  ca?: string;
  reportDir: string;
  specPath?: string;
  /** Credentials known beforehand (the embedded target's): redacted from the start. */
  secrets?: string[];
  /** The most bytes of a save's body kept for judging; default 32 MiB (the reference target's limit). */
  inspectBytes?: number;
  onExchangeEnd?: (ended: number) => void;
}

export interface RunningProxy {
  /** The URL to give the integration: the proxy's address with the target's base path. */
  url: string;
  session: ProxySession;
  /** Whether the client rules were judged as for SuperOffice Online. */
  online: boolean;
  specPath: string;
  specSha256: string;
  close(): Promise<void>;
}

const RESPONSE_BYTES = 16 * 1024 * 1024;
const INSPECT_BYTES = 32 * 1024 * 1024;
const CLOSE_GRACE_MS = 5_000;

/** SuperOffice Online: a tenant path segment CustNNNNN, or a host under superoffice.com. */
function isOnlineTarget(url: string): boolean {
  const u = new URL(url);
  return /(^|\/)cust\d+(\/|$)/i.test(u.pathname) || /(^|\.)superoffice\.com$/i.test(u.hostname);
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new ConfigError(`the proxy cannot listen on ${host}:${port}: ${e.code ?? e.message}`)));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      server.on('error', () => undefined);
      resolve();
    });
  });
}

export async function startProxy(o: ProxyOptions): Promise<RunningProxy> {
  const spec = await loadSpec(o.specPath);
  const model = spec.model;
  const clientRules = await loadClientRules();
  assertClientChecksMatchRules(clientRules);
  const serverRules = (await loadRules()).filter((r) => serverRulesJudged.includes(r.id));
  const target = new URL(o.targetUrl);
  const basePath = target.pathname.replace(/\/+$/, '');
  const online = o.online ?? isOnlineTarget(o.targetUrl);
  const redactor = new Redactor(o.secrets ?? [], Redactor.sensitiveHeaderNames(model));
  const inspectBytes = o.inspectBytes ?? INSPECT_BYTES;
  const inspector = new BodyInspector({ specPath: spec.path, specSha256: spec.sha256, maxBodyBytes: inspectBytes });
  const session = new ProxySession({
    clientRules,
    serverRules,
    clientCtx: { model, online, basePath },
    checkCtx: checkContext(model),
    rate: o.rate,
    redactor,
    origin: target.origin,
    reportDir: o.reportDir,
    inspectBytes,
    inspector,
    ...(o.onExchangeEnd ? { onExchangeEnd: o.onExchangeEnd } : {}),
  });
  const forwarder = new Forwarder({ origin: target.origin, timeoutMs: o.timeoutMs, ...(o.ca ? { ca: o.ca } : {}) });
  const server = createServer({ headersTimeout: 60_000, keepAliveTimeout: 5_000 }, relayHandler({ forwarder, route: routeReader(model, basePath), model, session, responseBytes: RESPONSE_BYTES }));
  const host = o.host ?? '127.0.0.1';
  try {
    await listen(server, host, o.port ?? 0);
  } catch (e) {
    await inspector.close();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}${basePath}`,
    session,
    online,
    specPath: spec.path,
    specSha256: spec.sha256,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Exchanges under way get a grace period to end; then every connection is closed.
        setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
      });
      await forwarder.close();
      await session.settled();
      await inspector.close();
    },
  };
}
