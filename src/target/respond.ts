/**
 * How the reference target answers: what every request handler of one started target shares
 * (its steps, their context, its routes), a plain answer with its length, and an error answer
 * whose body the `errorBody` step writes.
 */
import type { ServerResponse } from 'node:http';
import type { Route } from './routes.js';
import type { TargetBehaviour, TargetContext } from './types.js';

export interface TargetRuntime {
  behaviour: TargetBehaviour;
  ctx: TargetContext;
  basePath: string;
  table: Route[];
  /** The WWW-Authenticate value of a 401 ('' when the spec declares no scheme). */
  challenge: string;
}

/** Answers once with a Content-Length; does nothing when an answer has already begun. */
export function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: every step answers once; this only guards an answer begun elsewhere
  if (res.headersSent || res.destroyed) return;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: node:http sends a string as UTF-8 itself, and every string answered is ASCII (the Content-Length agrees either way)
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

/** Answers an error status with the error body the behaviour writes for it. */
export function fail(rt: TargetRuntime, res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  const e = rt.behaviour.errorBody(status, message, rt.ctx);
  // Stryker disable next-line ObjectLiteral: error-body-shape reads a 4xx body as JSON whatever its Content-Type (the contract names none for errors)
  send(res, status, { 'Content-Type': e.contentType, ...extra }, e.body);
}
