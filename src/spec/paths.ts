/**
 * Paths as the spec writes them: its path templates (`/Person/{personId}/Image`) turned into
 * regular expressions, and the base path every spec path hangs under, read from the spec's
 * first server URL (`https://{host}/{tenant}/api/v1`). The reference target, the pact checker
 * and the verifier's request filter all match paths with these; nothing else builds them.
 */
import type { OpenAPIV3_1 } from 'openapi-types';
import { SpecError } from '../errors.js';

/** `s` with every character that means something in a regular expression escaped. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The regular-expression source of a path template: the literal parts escaped, each
 * `{parameter}` one path segment (possibly empty), captured in order of appearance.
 */
export function pathTemplateSource(template: string): string {
  return template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '([^/]*)' : escapeRegExp(part)))
    .join('');
}

/**
 * A regex that matches a path (no query) that ends in one of `templates`, a trailing slash
 * allowed. `before` is the regex source of what may precede the template: '^' (the default)
 * for nothing, '' for anything (the match's `index` is then where the template starts).
 * Group 1 is the first parameter's segment of the template that matched first in the list.
 */
export function pathTemplatePattern(templates: string | readonly string[], before = '^'): RegExp {
  const list = typeof templates === 'string' ? [templates] : templates;
  return new RegExp(`${before}(?:${list.map(pathTemplateSource).join('|')})/?$`);
}

function firstServer(document: OpenAPIV3_1.Document): OpenAPIV3_1.ServerObject | undefined {
  return document.servers?.[0];
}

/**
 * The path of the spec's first server URL with its variables at their defaults
 * (`https://{host}/{tenant}/api/v1` -> `/SuperOffice/api/v1`), no trailing slash; '' when the
 * spec names no server or its URL cannot be read. The reference target serves under it.
 */
export function defaultBasePath(document: OpenAPIV3_1.Document): string {
  const server = firstServer(document);
  if (!server) return '';
  const url = server.url.replace(/\{([^}]+)\}/g, (_, name: string) => server.variables?.[name]?.default ?? name);
  try {
    return new URL(url, 'http://localhost').pathname.replace(/\/+$/, '');
  } catch {
    return '';
  }
}

/**
 * The base path every spec path hangs under whatever the installation: the part of the first
 * server URL after its last variable (`https://{host}/{tenant}/api/v1` -> `/api/v1`). Pacts
 * name paths under it, so they hold on any installation whatever comes before it
 * (`/SuperOffice`, `/Cust12345`). Throws SpecError when the spec names no server URL.
 */
export function apiBasePath(document: OpenAPIV3_1.Document): string {
  const server = firstServer(document)?.url;
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

/**
 * `" (did you mean …/api/v1?)"` when a target base URL does not end in the API base path
 * (compared without regard to case), else ''. A URL that ends in the first segments of the
 * base path (`…/api`) is completed (`…/api/v1`); any other gets the whole base path appended.
 */
export function apiBaseHint(baseUrl: string, apiBase: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (new URL(base).pathname.toLowerCase().endsWith(apiBase.toLowerCase())) return '';
  const segments = apiBase.split('/').filter(Boolean);
  for (let n = segments.length - 1; n > 0; n--) {
    const head = `/${segments.slice(0, n).join('/')}`.toLowerCase();
    if (base.toLowerCase().endsWith(head)) return ` (did you mean ${base}/${segments.slice(n).join('/')}?)`;
  }
  return ` (did you mean ${base}${apiBase}?)`;
}
