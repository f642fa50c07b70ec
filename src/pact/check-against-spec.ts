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
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import Negotiator from 'negotiator';
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import type { LoadedSpec } from '../spec/load.js';
import { mediaFamily, type OperationModel } from '../spec/model.js';
import { apiBasePath } from './api-base.js';
import { PactError } from '../errors.js';
import { asPact } from './pact-file.js';

export interface Incompatibility {
  /** The interaction's description (with its position when it has none). */
  interaction: string;
  reason: string;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

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

// ---------------------------------------------------------------- the pact, normalized

interface Body {
  /** The body as text (decoded from base64 when encoded), or the JSON value when the pact holds one. */
  text?: string;
  json?: { value: unknown };
  bytes?: Buffer;
  contentType?: string;
}

interface Message {
  headers: Map<string, string[]>;
  body?: Body;
}

interface Interaction {
  label: string;
  method: string;
  path: string;
  pathExpression?: string;
  query: Map<string, string[]>;
  request: Message;
  status: number;
  /** Statuses a status-code matcher allows besides the example (a list, or a class such as `success`). */
  statusMatcher?: number[] | string;
  response: Message;
}

function headerMap(raw: unknown): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (typeof raw !== 'object' || raw === null) return map;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    map.set(name.toLowerCase(), [...(map.get(name.toLowerCase()) ?? []), ...values]);
  }
  return map;
}

function queryMap(raw: unknown): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (typeof raw === 'string') {
    for (const [k, v] of new URLSearchParams(raw)) map.set(k, [...(map.get(k) ?? []), v]);
  } else if (typeof raw === 'object' && raw !== null) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) map.set(k, Array.isArray(v) ? v.map(String) : [String(v)]);
  }
  return map;
}

/** V4 bodies are `{ content, contentType, encoded }`; V2/V3 bodies are the value itself. A string is the raw text. */
function body(raw: unknown, v4: boolean): Body | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (v4 && typeof raw === 'object' && !Array.isArray(raw) && 'content' in raw) {
    const b = raw as { content?: unknown; contentType?: unknown; encoded?: unknown };
    const out: Body = {};
    if (typeof b.contentType === 'string') out.contentType = b.contentType;
    if (typeof b.content === 'string') {
      if (b.encoded === 'base64' || b.encoded === true) {
        out.bytes = Buffer.from(b.content, 'base64');
        out.text = out.bytes.toString('utf8');
      } else {
        out.text = b.content;
        out.bytes = Buffer.from(b.content, 'utf8');
      }
    } else if (b.content !== undefined && b.content !== null) {
      out.json = { value: b.content };
    }
    return out;
  }
  if (typeof raw === 'string') return { text: raw, bytes: Buffer.from(raw, 'utf8') };
  return { json: { value: raw } };
}

function statusMatcher(response: Record<string, unknown>): number[] | string | undefined {
  const rules = (response.matchingRules as { status?: unknown } | undefined)?.status;
  if (typeof rules !== 'object' || rules === null) return undefined;
  const entries = Object.values(rules as Record<string, unknown>);
  const candidates = 'matchers' in (rules as object) ? [rules] : entries;
  for (const c of candidates) {
    for (const m of ((c as { matchers?: unknown }).matchers ?? []) as { match?: unknown; status?: unknown }[]) {
      if (m.match !== 'statusCode') continue;
      if (Array.isArray(m.status)) return m.status.map(Number);
      if (typeof m.status === 'string') return m.status;
    }
  }
  return undefined;
}

function normalize(raw: Record<string, unknown>, index: number, v4: boolean): Interaction {
  const req = raw.request as Record<string, unknown>;
  const res = raw.response as Record<string, unknown>;
  const label = typeof raw.description === 'string' && raw.description ? raw.description : `interaction ${index + 1}`;
  const it: Interaction = {
    label,
    method: String(req.method).toUpperCase(),
    path: String(req.path),
    query: queryMap(req.query),
    request: { headers: headerMap(req.headers) },
    status: Number(res.status),
    response: { headers: headerMap(res.headers) },
  };
  const gen = (req.generators as { path?: { type?: unknown; expression?: unknown } } | undefined)?.path;
  if (gen?.type === 'ProviderState' && typeof gen.expression === 'string') it.pathExpression = gen.expression;
  const reqBody = body(req.body, v4);
  if (reqBody) it.request.body = reqBody;
  const resBody = body(res.body, v4);
  if (resBody) it.response.body = resBody;
  const sm = statusMatcher(res);
  if (sm !== undefined) it.statusMatcher = sm;
  return it;
}

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

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const indexes = new WeakMap<LoadedSpec, SpecIndex>();

function specIndex(spec: LoadedSpec): SpecIndex {
  const cached = indexes.get(spec);
  if (cached) return cached;
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  for (const k of ['xml', 'example', 'discriminator', 'externalDocs']) if (!ajv.getKeyword(k)) ajv.addKeyword(k);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  const apiBase = apiBasePath(spec.document);
  const paths: SpecPath[] = [];
  for (const [template, item] of Object.entries(spec.document.paths ?? {})) {
    if (!item) continue;
    const itemParams = (item.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
    const pathParam = itemParams.find((p) => p.in === 'path');
    const source = template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '([^/]*)' : escapeRegex(part)))
      .join('');
    const entry: SpecPath = { template, pattern: new RegExp(`^(?:/.*)?${escapeRegex(apiBase)}${source}/?$`), operations: new Map() };
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
  const ns = new RegExp(`${escapeRegex(nsAttr)}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
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

function checkInteraction(index: SpecIndex, it: Interaction): string[] {
  const reasons: string[] = [];
  const path = it.path.split('?')[0] ?? it.path;
  let sp: SpecPath | undefined;
  let segment = '';
  for (const candidate of index.paths) {
    const m = candidate.pattern.exec(path);
    if (m) {
      sp = candidate;
      segment = m[1] ?? '';
      break;
    }
  }
  if (!sp) {
    reasons.push(`unknown path ${path}: the spec describes ${index.paths.map((p) => `${index.apiBase}${p.template}`).join(', ')} (under any base path ending in ${index.apiBase})`);
    return reasons;
  }
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

  const so = sp.operations.get(it.method);
  if (!so) {
    reasons.push(`method ${it.method} is not declared for ${sp.template} (declared: ${[...sp.operations.keys()].join(', ')})`);
    return reasons;
  }
  const op = so.op;

  // Status first: whether the interaction is a negative test decides how strictly the request is read.
  const declared = op.statuses;
  if (!declared.includes(it.status)) reasons.push(`status ${it.status} is not declared for ${op.method} ${sp.template} (declared: ${declared.join(', ')})`);
  if (Array.isArray(it.statusMatcher)) {
    const extra = it.statusMatcher.filter((s) => !declared.includes(s));
    if (extra.length > 0) reasons.push(`the status matcher allows ${extra.join(', ')}, not declared for ${op.method} ${sp.template}`);
  }
  const negative = it.status >= 400 && it.status < 500 && declared.includes(it.status);
  const success = it.status >= 200 && it.status < 300;

  // Query parameters.
  const queryNames = new Set(op.query.map((q) => q.name));
  for (const name of it.query.keys()) if (!queryNames.has(name)) reasons.push(`query parameter ${name} is not declared for ${op.method} ${sp.template}`);

  // Request headers.
  for (const name of it.request.headers.keys()) {
    if (GENERIC_HEADERS.includes(name) || index.securityHeaders.includes(name) || so.headerNames.has(name)) continue;
    reasons.push(`request header ${name} is not declared for ${op.method} ${sp.template}`);
  }
  const accept = first(it.request.headers, 'accept');
  const answers = op.responses.get(it.status) ?? [];
  if (accept && success && answers.length > 0) {
    let preferred: string[] = [];
    try {
      preferred = new Negotiator({ headers: { accept } }).mediaTypes(answers.map((a) => a.type));
    } catch {
      preferred = [];
    }
    if (preferred.length === 0) reasons.push(`Accept ${accept} names no media type the operation answers ${it.status} with (${answers.map((a) => a.type).join(', ')})`);
  }

  // Request body and Content-Type.
  const contentType = first(it.request.headers, 'content-type') ?? it.request.body?.contentType;
  const hasBody = !isEmpty(it.request.body);
  if (op.requestMediaTypes.length === 0) {
    if (hasBody) reasons.push(`${op.method} ${sp.template} takes no request body, but the interaction sends one`);
  } else {
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
    // A request the spec does not describe may only be a negative test.
    if (problems.length > 0 && !negative) reasons.push(...problems.map((p) => `${p}, and the interaction expects ${it.status}, not a 4xx the spec declares`));
  }

  if (declared.includes(it.status)) checkResponseBody(index, it, op, reasons);
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
