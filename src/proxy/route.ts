/** Where a proxied request went, read against the spec's paths (the templates come from the model, never from here). */
import type { RouteFacts } from '../checks/client/types.js';
import type { SpecModel } from '../spec/model.js';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A path template as a pattern matching the end of a path: the prefix, then the person segment. */
function tailPattern(template: string, parameter: string): RegExp {
  const [before = '', after = ''] = template.split(`{${parameter}}`);
  return new RegExp(`^(.*?)${escapeRegExp(before)}([^/]*)${escapeRegExp(after)}/?$`, 'i');
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface RouteReader {
  (method: string, requestTarget: string): RouteFacts;
}

/** Reads request targets against the image and ImageInfo paths under `basePath` (matched case-insensitively, as ASP.NET routes). */
export function routeReader(model: SpecModel, basePath: string): RouteReader {
  const parameter = model.personIdParameter.name;
  const resources = [
    { resource: 'image' as const, template: model.imagePath, pattern: tailPattern(model.imagePath, parameter) },
    { resource: 'image-info' as const, template: model.imageInfoPath, pattern: tailPattern(model.imageInfoPath, parameter) },
  ];
  const base = basePath.replace(/\/+$/, '').toLowerCase();
  return (method, requestTarget) => {
    const path = requestTarget.split('?', 1)[0] ?? '';
    for (const r of resources) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      const methodDeclared = model.operations.some((o) => o.path === r.template && o.method === method);
      const save = r.resource === 'image' && model.save.some((o) => o.method === method);
      return { path, resource: r.resource, segment: decoded(m[2] ?? ''), underBase: (m[1] ?? '').toLowerCase() === base, methodDeclared, save };
    }
    return { path, underBase: path.toLowerCase().startsWith(`${base}/`), methodDeclared: false, save: false };
  };
}
