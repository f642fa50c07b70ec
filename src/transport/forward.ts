/**
 * Forwarding for the checking proxy (src/proxy/): one request as the client sent it, its body
 * streamed to the target, and the target's answer streamed back. Nothing is added, retried or
 * throttled (the proxy watches the client's pace, it does not set it); only the hop-by-hop
 * headers of RFC 9110 §7.6.1 stay on their own hop, and Host names the target. Redirects are not
 * followed (undici's request does not).
 */
import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface ForwardRequest {
  method: string;
  /** Path and query as the client sent them. */
  path: string;
  headers: HeaderMap;
  /** Absent for a request without a body. */
  body?: Readable;
  signal?: AbortSignal;
}

export interface ForwardAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Readable;
}

/** Headers of one hop only, never forwarded (plus those the Connection header names). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect', 'host'];

/** The headers without the hop-by-hop ones (and those Connection lists); repeated headers kept as lists. */
export function endToEndHeaders(headers: HeaderMap): Record<string, string | string[]> {
  // Stryker disable next-line MethodExpression,StringLiteral: header names are tokens (RFC 9110 §5.6.2), never empty and never with a space, so an empty name kept in the list (no filter) or "Stryker was here!" for no Connection header drops no real header
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const drop = new Set([...HOP_BY_HOP, ...named]);
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !drop.has(k.toLowerCase())) out[k] = v;
  return out;
}

export interface ForwarderOptions {
  /** The target's origin, e.g. https://host:443. */
  origin: string;
  /** Longest wait for the answer's headers, and between two chunks of its body. */
  timeoutMs: number;
  /** Extra CA certificates (PEM) trusted beside the public roots. */
  ca?: string;
}

export class Forwarder {
  private readonly agent: Agent;

  constructor(private readonly options: ForwarderOptions) {
    this.agent = new Agent({
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      ...(options.ca ? { connect: { ca: [...rootCertificates, options.ca] } } : {}),
    });
  }

  /** Sends the request to the target; resolves with the answer's status and headers, its body still streaming. */
  async forward(r: ForwardRequest): Promise<ForwardAnswer> {
    const res = await this.agent.request({
      origin: this.options.origin,
      path: r.path,
      method: r.method as Dispatcher.HttpMethod,
      headers: endToEndHeaders(r.headers),
      body: r.body ?? null,
      ...(r.signal ? { signal: r.signal } : {}),
    });
    return { status: res.statusCode, headers: endToEndHeaders(res.headers), body: res.body };
  }

  close(): Promise<void> {
    return this.agent.destroy();
  }
}
