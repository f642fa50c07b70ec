/**
 * The base path every spec path hangs under, from the spec's server URL: the part after its
 * last variable (`https://{host}/{tenant}/api/v1` -> `/api/v1`). Pacts name paths under it, so
 * they hold on any installation whatever comes before it (`/SuperOffice`, `/Cust12345`).
 */
import type { OpenAPIV3_1 } from 'openapi-types';
import { SpecError } from '../errors.js';

export function apiBasePath(document: OpenAPIV3_1.Document): string {
  const server = document.servers?.[0]?.url;
  if (!server) throw new SpecError('the spec names no server URL, so its base path is unknown');
  const afterVariables = server.slice(server.lastIndexOf('}') + 1);
  let path: string;
  try {
    path = afterVariables.startsWith('/') ? afterVariables : new URL(afterVariables).pathname;
  } catch {
    throw new SpecError(`cannot read a base path from the spec's server URL ${server}`);
  }
  return path.replace(/\/+$/, '');
}

/** The installation-specific prefix of a target base URL: its path without the API base (`/SuperOffice`). */
export function targetPrefix(baseUrl: string, apiBase: string): { origin: string; prefix: string } {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  const prefix = path.endsWith(apiBase) ? path.slice(0, path.length - apiBase.length) : path;
  return { origin: url.origin, prefix };
}

/** The part of a request path from the API base on, or undefined when the path does not pass through it. */
export function pathFromApiBase(path: string, apiBase: string): string | undefined {
  const at = path.indexOf(`${apiBase}/`);
  return at < 0 ? undefined : path.slice(at);
}
