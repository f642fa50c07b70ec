/**
 * The reference target's routing: the spec's paths under the spec's base path, each with the
 * operations (by method) declared on it, and the authentication challenge its 401s carry.
 */
import type { OperationModel, SpecModel } from '../spec/model.js';
import { pathTemplatePattern } from '../spec/paths.js';

export interface Route {
  pattern: RegExp;
  operations: Map<string, OperationModel>;
}

/** The request's route and the raw (still percent-encoded) person id segment it captured. */
export interface RouteMatch {
  route: Route;
  segment: string;
}

/** One route per spec path, holding every operation declared on it. */
export function routes(model: SpecModel): Route[] {
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

/** The first route whose pattern matches the path under the base path; none outside it. */
export function matchRoute(table: readonly Route[], basePath: string, pathname: string): RouteMatch | undefined {
  // Stryker disable next-line ConditionalExpression,StringLiteral: outside the base path no route pattern matches the rest either (404 both ways)
  if (!pathname.startsWith(`${basePath}/`)) return undefined;
  const path = pathname.slice(basePath.length);
  for (const route of table) {
    const m = route.pattern.exec(path);
    // Stryker disable next-line StringLiteral: every spec path has the person id parameter, whose group always takes part in a match (possibly empty), so m[1] is never undefined
    if (m) return { route, segment: m[1] ?? '' };
  }
  return undefined;
}

// Stryker disable all: whether a 401 carries WWW-Authenticate, and which challenges, SuperOffice does not document, and no rule judges it (handle.ts)
/** The WWW-Authenticate value of a 401: one challenge per declared scheme ('' when none). */
export function authChallenge(model: SpecModel): string {
  return [model.security.basic, model.security.ticket, model.security.bearer]
    .filter((s) => s !== undefined)
    .map((s) => `${s.scheme} realm="SuperOffice"`)
    .join(', ');
}
// Stryker restore all
