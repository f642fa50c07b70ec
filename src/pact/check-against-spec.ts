/**
 * The offline check of a pact against the OpenAPI description: every HTTP interaction's path,
 * method, request Content-Type and headers, response status, Content-Type and body must be
 * allowed by the spec. Pure: (pact JSON, LoadedSpec) -> incompatibilities.
 *
 * Paths are matched against the spec's path templates under any base path ending in the spec's
 * server base (`/api/v1`); the person id must fit the path parameter's schema or be a
 * provider-state expression. A request the spec does not describe (no body where one is
 * required, an undeclared Content-Type, a missing form field) is accepted only when the
 * interaction expects a 4xx the operation declares: it is then a negative test, and the spec
 * says how such requests are answered. Bodies are validated with ajv against the schema of the
 * status and media type; a body under matchers is validated through its example value.
 */
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import Negotiator from 'negotiator';
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { specAjv } from '../spec/ajv.js';
import type { LoadedSpec } from '../spec/load.js';
import { mediaFamily, type OperationModel } from '../spec/model.js';
import { apiBasePath, escapeRegExp, pathTemplatePattern } from '../spec/paths.js';
import { PactError } from '../errors.js';
import { asPact } from './pact-file.js';
import { normalize, type Body, type Interaction } from './pact-interaction.js';

export interface Incompatibility {
  /** The interaction's description (with its position when it has none). */
  interaction: string;
  reason: string;
}

/** Request headers any HTTP client may send whatever the spec says. */
const GENERIC_HEADERS = [
  'accept',
  'accept-charset',
  'accept-encoding',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'expect',
  'host',
  'pragma',
  'te',
  'transfer-encoding',
  'user-agent',
];

// ---------------------------------------------------------------- the spec, indexed

interface SpecOperation {
  op: OperationModel;
  headerNames: Set<string>;
  bodyRequired: boolean;
}

interface SpecPath {
  template: string;
  pattern: RegExp;
  param?: { name: string; validate: ValidateFunction; description: string };
  operations: Map<string, SpecOperation>;
}

interface SpecIndex {
  apiBase: string;
  paths: SpecPath[];
  ajv: Ajv2020;
  validators: WeakMap<object, ValidateFunction>;
  multipartField: string;
  /** Header names the security schemes put on requests. */
  securityHeaders: string[];
}

const indexes = new WeakMap<LoadedSpec, SpecIndex>();

function specIndex(spec: LoadedSpec): SpecIndex {
  const cached = indexes.get(spec);
  if (cached) return cached;
  const ajv = specAjv({ allErrors: true });
  const apiBase = apiBasePath(spec.document);
  const paths: SpecPath[] = [];
  for (const [template, item] of Object.entries(spec.document.paths ?? {})) {
    if (!item) continue;
    const itemParams = (item.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
    const pathParam = itemParams.find((p) => p.in === 'path');
    // Under any base path that ends in the spec's (`/SuperOffice/api/v1`, `/api/v1`).
    const entry: SpecPath = { template, pattern: pathTemplatePattern(template, `^(?:/.*)?${escapeRegExp(apiBase)}`), operations: new Map() };
    if (pathParam) {
      const schema = (pathParam.schema ?? {}) as OpenAPIV3_1.SchemaObject;
      entry.param = {
        name: pathParam.name,
        validate: ajv.compile(schema),
        description: [schema.type, schema.format].filter(Boolean).join(', '),
      };
    }
    for (const op of spec.model.operations.filter((o) => o.path === template)) {
      const raw = item[op.method.toLowerCase() as 'get'] as OpenAPIV3_1.OperationObject | undefined;
      const params = [...itemParams, ...((raw?.parameters ?? []) as OpenAPIV3_1.ParameterObject[])];
      entry.operations.set(op.method, {
        op,
        headerNames: new Set(params.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase())),
        bodyRequired: (raw?.requestBody as OpenAPIV3_1.RequestBodyObject | undefined)?.required === true,
      });
    }
    paths.push(entry);
  }
  const schemes = Object.values((spec.document.components?.securitySchemes ?? {}) as Record<string, OpenAPIV3.SecuritySchemeObject>);
  const securityHeaders = [
    ...(schemes.some((s) => s.type === 'http') ? ['authorization'] : []),
    ...(schemes.some((s) => s.type === 'apiKey' && s.in === 'cookie') ? ['cookie'] : []),
    ...schemes.filter((s): s is OpenAPIV3.ApiKeySecurityScheme => s.type === 'apiKey' && s.in === 'header').map((s) => s.name.toLowerCase()),
  ];
  const index: SpecIndex = { apiBase, paths, ajv, validators: new WeakMap(), multipartField: spec.model.multipart.field, securityHeaders };
  indexes.set(spec, index);
  return index;
}

function validator(index: SpecIndex, schema: object): ValidateFunction {
  let v = index.validators.get(schema);
  if (!v) {
    v = index.ajv.compile(schema);
    index.validators.set(schema, v);
  }
  return v;
}

function ajvErrors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || 'the value'} ${e.message ?? 'is not valid'}`)
    .join('; ');
}

// ---------------------------------------------------------------- checks

function essence(type: string): string {
  return (type.split(';')[0] ?? '').trim().toLowerCase();
}

function first(headers: Map<string, string[]>, name: string): string | undefined {
  return headers.get(name)?.[0];
}

function show(value: unknown, max = 60): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

function isEmpty(b: Body | undefined): boolean {
  if (!b) return true;
  if (b.json) return false;
  return (b.bytes?.length ?? 0) === 0;
}

function checkPersonId(index: SpecIndex, sp: SpecPath, segment: string, what: string): string | undefined {
  const param = sp.param;
  if (!param) return undefined;
  const n = /^-?\d+$/.test(segment) ? Number(segment) : undefined;
  if (n !== undefined && param.validate(n)) return undefined;
  return `${what} ${JSON.stringify(decodeURIComponentSafe(segment))} does not fit the path parameter ${param.name} (${param.description || 'its schema'})`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The XML body as its root element, namespace and text; undefined when it is not one simple element. */
function simpleXml(text: string): { name: string; namespace?: string; text: string } | undefined {
  const m = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(?:\/>|>([^<]*)<\/\1\s*>)\s*$/.exec(text);
  if (!m) return undefined;
  const [, qname = '', attrs = '', inner = ''] = m;
  const name = qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname;
  const prefix = qname.includes(':') ? qname.slice(0, qname.indexOf(':')) : undefined;
  const nsAttr = prefix ? `xmlns:${prefix}` : 'xmlns';
  const ns = new RegExp(`${escapeRegExp(nsAttr)}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  const out: { name: string; namespace?: string; text: string } = { name, text: inner.trim() };
  const namespace = ns?.[1] ?? ns?.[2];
  if (namespace !== undefined) out.namespace = namespace;
  return out;
}

function checkResponseBody(index: SpecIndex, it: Interaction, op: OperationModel, reasons: string[]): void {
  const b = it.response.body;
  const declared = op.responses.get(it.status) ?? [];
  const headerType = first(it.response.headers, 'content-type');
  const type = headerType ?? b?.contentType ?? (b?.json ? 'application/json' : undefined);
  if (isEmpty(b)) {
    if (headerType && declared.length > 0 && !declared.some((d) => essence(d.type) === essence(headerType))) {
      reasons.push(`response Content-Type ${headerType} is not declared for ${it.status} (declared: ${declared.map((d) => d.type).join(', ')})`);
    }
    return;
  }
  if (declared.length === 0) {
    reasons.push(`the response has a body, but the spec declares no body for ${it.status}`);
    return;
  }
  if (!type) {
    reasons.push(`the response body has no Content-Type, so it cannot be checked against the ${it.status} media types (${declared.map((d) => d.type).join(', ')})`);
    return;
  }
  const media = declared.find((d) => essence(d.type) === essence(type));
  if (!media) {
    reasons.push(`response Content-Type ${type} is not declared for ${it.status} (declared: ${declared.map((d) => d.type).join(', ')})`);
    return;
  }
  let value: unknown;
  if (media.family === 'json') {
    if (b?.json) value = b.json.value;
    else {
      try {
        value = JSON.parse(b?.text ?? '');
      } catch {
        reasons.push(`the ${it.status} body ${show(b?.text)} is not JSON, though its Content-Type is ${type}`);
        return;
      }
    }
  } else if (media.family === 'xml') {
    const text = b?.text ?? (typeof b?.json?.value === 'string' ? b.json.value : undefined);
    const xml = text === undefined ? undefined : simpleXml(text);
    if (!xml) {
      reasons.push(`the ${it.status} body ${show(text ?? b?.json?.value)} is not the XML form the spec describes for ${media.type}`);
      return;
    }
    if (media.xml && xml.name !== media.xml.name) {
      reasons.push(`the ${it.status} XML body's root element is <${xml.name}>, the spec's is <${media.xml.name}>`);
      return;
    }
    if (media.xml?.namespace && xml.namespace !== undefined && xml.namespace !== media.xml.namespace) {
      reasons.push(`the ${it.status} XML body's namespace is ${xml.namespace}, the spec's is ${media.xml.namespace}`);
      return;
    }
    const t = media.schema.type;
    value = t === 'integer' || t === 'number' ? (/^-?\d+(\.\d+)?$/.test(xml.text) ? Number(xml.text) : xml.text) : t === 'boolean' ? xml.text === 'true' : xml.text;
  } else {
    return; // images and other binary bodies: the Content-Type is all the spec says
  }
  const v = validator(index, media.schema);
  if (!v(value)) reasons.push(`the ${it.status} body ${show(value)} does not match the spec's schema for ${media.type}: ${ajvErrors(v)}`);
}

/** The spec path the interaction's path falls under and its person-id segment, or undefined. */
function findSpecPath(index: SpecIndex, path: string): { sp: SpecPath; segment: string } | undefined {
  for (const sp of index.paths) {
    const m = sp.pattern.exec(path);
    if (m) return { sp, segment: m[1] ?? '' };
  }
  return undefined;
}

/** The person id of the path, or of the provider-state expression that stands for it. */
function checkPathParameter(index: SpecIndex, it: Interaction, sp: SpecPath, segment: string, reasons: string[]): void {
  if (it.pathExpression !== undefined) {
    const m = sp.pattern.exec(it.pathExpression);
    const seg = m?.[1];
    if (seg === undefined) reasons.push(`the provider-state path ${it.pathExpression} does not fit ${index.apiBase}${sp.template}`);
    else if (!/^\$\{[^}]+\}$/.test(seg)) {
      const bad = checkPersonId(index, sp, seg, 'the provider-state path segment');
      if (bad) reasons.push(bad);
    }
  } else {
    const bad = checkPersonId(index, sp, segment, 'person id');
    if (bad) reasons.push(bad);
  }
}

function checkStatus(it: Interaction, op: OperationModel, template: string, reasons: string[]): void {
  const declared = op.statuses;
  if (!declared.includes(it.status)) reasons.push(`status ${it.status} is not declared for ${op.method} ${template} (declared: ${declared.join(', ')})`);
  if (Array.isArray(it.statusMatcher)) {
    const extra = it.statusMatcher.filter((s) => !declared.includes(s));
    if (extra.length > 0) reasons.push(`the status matcher allows ${extra.join(', ')}, not declared for ${op.method} ${template}`);
  }
}

/** Query parameters and request headers the operation declares, and an Accept its answers can meet. */
function checkQueryAndHeaders(index: SpecIndex, it: Interaction, so: SpecOperation, template: string, reasons: string[]): void {
  const op = so.op;
  const queryNames = new Set(op.query.map((q) => q.name));
  for (const name of it.query.keys()) if (!queryNames.has(name)) reasons.push(`query parameter ${name} is not declared for ${op.method} ${template}`);
  for (const name of it.request.headers.keys()) {
    if (GENERIC_HEADERS.includes(name) || index.securityHeaders.includes(name) || so.headerNames.has(name)) continue;
    reasons.push(`request header ${name} is not declared for ${op.method} ${template}`);
  }
  const accept = first(it.request.headers, 'accept');
  const answers = op.responses.get(it.status) ?? [];
  if (accept && it.status >= 200 && it.status < 300 && answers.length > 0) {
    let preferred: string[] = [];
    try {
      preferred = new Negotiator({ headers: { accept } }).mediaTypes(answers.map((a) => a.type));
    } catch {
      preferred = [];
    }
    if (preferred.length === 0) reasons.push(`Accept ${accept} names no media type the operation answers ${it.status} with (${answers.map((a) => a.type).join(', ')})`);
  }
}

/**
 * The request body and its Content-Type. A request the spec does not describe may only be a
 * negative test: one that expects a 4xx the operation declares.
 */
function checkRequestBody(index: SpecIndex, it: Interaction, so: SpecOperation, template: string, reasons: string[]): void {
  const op = so.op;
  const contentType = first(it.request.headers, 'content-type') ?? it.request.body?.contentType;
  const hasBody = !isEmpty(it.request.body);
  if (op.requestMediaTypes.length === 0) {
    if (hasBody) reasons.push(`${op.method} ${template} takes no request body, but the interaction sends one`);
    return;
  }
  const requestMedia = contentType ? op.requestMediaTypes.find((m) => m.type === essence(contentType)) : undefined;
  const problems: string[] = [];
  if (contentType && !requestMedia) problems.push(`request Content-Type ${contentType} is not declared (declared: ${op.requestMediaTypes.map((m) => m.type).join(', ')})`);
  if (!hasBody && so.bodyRequired) problems.push('the spec requires a request body and the interaction sends none');
  if (hasBody && !contentType) problems.push('the request body has no Content-Type');
  if (hasBody && requestMedia && mediaFamily(requestMedia.type) === 'multipart') {
    const text = it.request.body?.text ?? '';
    const field = index.multipartField;
    const names = [...text.matchAll(/content-disposition:[^\r\n]*\bname="([^"]*)"/gi)].map((m) => m[1]);
    if (names.length > 0 && !names.includes(field)) problems.push(`the multipart body has no form field "${field}" (it has ${names.map((n) => `"${n}"`).join(', ')})`);
  }
  const negative = it.status >= 400 && it.status < 500 && op.statuses.includes(it.status);
  if (problems.length > 0 && !negative) reasons.push(...problems.map((p) => `${p}, and the interaction expects ${it.status}, not a 4xx the spec declares`));
}

function checkInteraction(index: SpecIndex, it: Interaction): string[] {
  const reasons: string[] = [];
  const path = it.path.split('?')[0] ?? it.path;
  const found = findSpecPath(index, path);
  if (!found) {
    reasons.push(`unknown path ${path}: the spec describes ${index.paths.map((p) => `${index.apiBase}${p.template}`).join(', ')} (under any base path ending in ${index.apiBase})`);
    return reasons;
  }
  const { sp, segment } = found;
  checkPathParameter(index, it, sp, segment, reasons);
  const so = sp.operations.get(it.method);
  if (!so) {
    reasons.push(`method ${it.method} is not declared for ${sp.template} (declared: ${[...sp.operations.keys()].join(', ')})`);
    return reasons;
  }
  // Status first: whether the interaction is a negative test decides how strictly the request is read.
  checkStatus(it, so.op, sp.template, reasons);
  checkQueryAndHeaders(index, it, so, sp.template, reasons);
  checkRequestBody(index, it, so, sp.template, reasons);
  if (so.op.statuses.includes(it.status)) checkResponseBody(index, it, so.op, reasons);
  return reasons;
}

/** Every incompatibility of the pact's HTTP interactions with the spec. Throws PactError when `pact` is no pact. */
export function checkPactAgainstSpec(pact: unknown, spec: LoadedSpec, where = 'the pact'): Incompatibility[] {
  const doc = asPact(pact, where);
  const version = String((doc.metadata?.pactSpecification as { version?: unknown } | undefined)?.version ?? (doc.metadata?.['pact-specification'] as { version?: unknown } | undefined)?.version ?? '');
  const index = specIndex(spec);
  const out: Incompatibility[] = [];
  if (!doc.interactions.some((i) => typeof i.type !== 'string' || i.type === 'Synchronous/HTTP')) throw new PactError(`${where} has no HTTP interactions`);
  doc.interactions.forEach((raw, n) => {
    if (typeof raw.type === 'string' && raw.type !== 'Synchronous/HTTP') return;
    const v4 = version.startsWith('4') || typeof raw.type === 'string';
    const it = normalize(raw, n, v4);
    for (const reason of checkInteraction(index, it)) out.push({ interaction: it.label, reason });
  });
  return out;
}
