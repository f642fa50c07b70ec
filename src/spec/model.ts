/**
 * The operation model: everything the engine, the reference target and the pact checker need
 * to know about the endpoint, derived from the OpenAPI document. Nothing here names a header,
 * a media type or an enum value; they all come from the spec.
 */
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { SpecError } from '../errors.js';
import { apiBasePath } from './paths.js';

export type MediaFamily = 'json' | 'xml' | 'image' | 'multipart' | 'other';
type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface ResponseMediaType {
  type: string;
  family: MediaFamily;
  schema: OpenAPIV3_1.SchemaObject;
  /** For XML media types: the root element and its namespace, from the schema's `xml` object. */
  xml?: { name: string; namespace?: string };
}

export interface HeaderParameter {
  name: string;
  /** `x-role` of the parameter: `language`, `app-token`, `xsrf-token`. */
  role?: string;
  description?: string;
  /** Valid example values (from `example` and `examples`). */
  examples: string[];
  /** Malformed values (from `x-malformed-examples`). */
  malformedExamples: string[];
}

interface HttpAuthScheme {
  key: string;
  kind: 'http';
  /** The auth-scheme word as the spec writes it (`basic`, `SOTicket`, `bearer`). */
  scheme: string;
  example?: string;
}

interface SessionAuthScheme {
  key: string;
  kind: 'session';
  /** The cookie that carries the XSRF token. */
  cookieName: string;
  /** The header that must repeat it. */
  headerName: string;
}

interface SecurityModel {
  basic?: HttpAuthScheme;
  ticket?: HttpAuthScheme;
  bearer?: HttpAuthScheme;
  session?: SessionAuthScheme;
}

export interface OperationModel {
  operationId: string;
  method: HttpMethod;
  path: string;
  statuses: number[];
  /** The request media types and their schemas (save operations only). */
  requestMediaTypes: { type: string; family: MediaFamily; schema: OpenAPIV3_1.SchemaObject }[];
  /** Media types per status. */
  responses: Map<number, ResponseMediaType[]>;
  /** Query parameters: name, schema. */
  query: { name: string; schema: OpenAPIV3_1.SchemaObject }[];
}

export interface SpecModel {
  /** `/Person/{personId}/Image`. */
  imagePath: string;
  /** `/Person/{personId}/ImageInfo`. */
  imageInfoPath: string;
  /** The path the first server URL gives the API after its variables (`/api/v1`); '' when the spec names none. */
  apiBase: string;
  personIdParameter: { name: string; schema: OpenAPIV3_1.SchemaObject };
  /** The save operations (PUT and POST), PUT first. */
  save: OperationModel[];
  getImage: OperationModel;
  deleteImage: OperationModel;
  getImageInfo: OperationModel;
  /** The raw image media types a save accepts. */
  imageMediaTypes: string[];
  multipart: { type: string; field: string };
  /** The 200 media types of a save, in spec order (the first is the default). */
  successMediaTypes: ResponseMediaType[];
  errorSchema: OpenAPIV3_1.SchemaObject;
  imageInfoSchema: OpenAPIV3_1.SchemaObject;
  headers: HeaderParameter[];
  security: SecurityModel;
  operations: OperationModel[];
}

/** The family of a media type: its structured-syntax suffix or subtype, or its top-level type. */
export function mediaFamily(type: string): MediaFamily {
  const essence = (type.split(';')[0] ?? '').trim().toLowerCase();
  const [top, sub = ''] = essence.split('/');
  if (sub === 'json' || sub.endsWith('+json')) return 'json';
  if (sub === 'xml' || sub.endsWith('+xml')) return 'xml';
  if (top === 'image') return 'image';
  if (top === 'multipart') return 'multipart';
  return 'other';
}

const METHODS: HttpMethod[] = ['GET', 'PUT', 'POST', 'DELETE'];

function asSchema(s: unknown): OpenAPIV3_1.SchemaObject {
  return (s ?? {}) as OpenAPIV3_1.SchemaObject;
}

function operations(doc: OpenAPIV3_1.Document): OperationModel[] {
  const out: OperationModel[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!item) continue;
    for (const method of METHODS) {
      const op = item[method.toLowerCase() as Lowercase<HttpMethod>] as OpenAPIV3_1.OperationObject | undefined;
      if (!op) continue;
      const responses = new Map<number, ResponseMediaType[]>();
      for (const [status, resp] of Object.entries(op.responses ?? {})) {
        const r = resp as OpenAPIV3_1.ResponseObject;
        responses.set(
          Number(status),
          Object.entries(r.content ?? {}).map(([type, media]) => {
            const schema = asSchema(media.schema);
            const xml = (schema as OpenAPIV3.BaseSchemaObject).xml;
            const entry: ResponseMediaType = { type, family: mediaFamily(type), schema };
            if (entry.family === 'xml' && xml?.name) entry.xml = { name: xml.name, ...(xml.namespace ? { namespace: xml.namespace } : {}) };
            return entry;
          }),
        );
      }
      const body = op.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
      const params = [...((item.parameters ?? []) as OpenAPIV3_1.ParameterObject[]), ...((op.parameters ?? []) as OpenAPIV3_1.ParameterObject[])];
      out.push({
        operationId: op.operationId ?? `${method} ${path}`,
        method,
        path,
        statuses: [...responses.keys()].sort((a, b) => a - b),
        requestMediaTypes: Object.entries(body?.content ?? {}).map(([type, media]) => ({ type, family: mediaFamily(type), schema: asSchema(media.schema) })),
        responses,
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: asSchema(p.schema) })),
      });
    }
  }
  return out;
}

function headerParameters(doc: OpenAPIV3_1.Document, imagePath: string): HeaderParameter[] {
  const item = doc.paths?.[imagePath];
  const params = (item?.parameters ?? []) as (OpenAPIV3_1.ParameterObject & Record<string, unknown>)[];
  return params
    .filter((p) => p.in === 'header')
    .map((p) => {
      const examples: string[] = [];
      if (p.example !== undefined) examples.push(String(p.example));
      for (const ex of Object.values(p.examples ?? {})) {
        const value = (ex as OpenAPIV3.ExampleObject).value;
        if (value !== undefined) examples.push(String(value));
      }
      const malformed = Array.isArray(p['x-malformed-examples']) ? (p['x-malformed-examples'] as unknown[]).map(String) : [];
      const h: HeaderParameter = { name: p.name, examples, malformedExamples: malformed };
      if (typeof p['x-role'] === 'string') h.role = p['x-role'];
      if (p.description) h.description = p.description;
      return h;
    });
}

function securityModel(doc: OpenAPIV3_1.Document): SecurityModel {
  const schemes = (doc.components?.securitySchemes ?? {}) as Record<string, OpenAPIV3.SecuritySchemeObject & Record<string, unknown>>;
  const model: SecurityModel = {};
  for (const [key, s] of Object.entries(schemes)) {
    if (s.type !== 'http') continue;
    const scheme: HttpAuthScheme = { key, kind: 'http', scheme: s.scheme };
    if (typeof s['x-example'] === 'string') scheme.example = s['x-example'];
    const word = s.scheme.toLowerCase();
    if (word === 'basic') model.basic = scheme;
    else if (word === 'bearer') model.bearer = scheme;
    else model.ticket = scheme;
  }
  // The session is the security requirement that pairs a cookie key with a header key.
  for (const req of doc.security ?? []) {
    const keys = Object.keys(req);
    const cookie = keys.map((k) => [k, schemes[k]] as const).find(([, s]) => s?.type === 'apiKey' && s.in === 'cookie');
    const header = keys.map((k) => [k, schemes[k]] as const).find(([, s]) => s?.type === 'apiKey' && s.in === 'header');
    if (cookie?.[1]?.type === 'apiKey' && header?.[1]?.type === 'apiKey') {
      model.session = { key: cookie[0], kind: 'session', cookieName: cookie[1].name, headerName: header[1].name };
    }
  }
  return model;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new SpecError(`the spec does not describe ${what}`);
  return value;
}

export function deriveModel(doc: OpenAPIV3_1.Document): SpecModel {
  const ops = operations(doc);
  const saves = ops.filter((o) => (o.method === 'PUT' || o.method === 'POST') && o.requestMediaTypes.length > 0);
  const firstSave = need(saves.find((o) => o.method === 'PUT') ?? saves[0], 'a PUT or POST that saves an image');
  saves.sort((a, b) => (a.method === 'PUT' ? -1 : b.method === 'PUT' ? 1 : 0));
  const imagePath = firstSave.path;
  const onImage = (m: HttpMethod) => need(ops.find((o) => o.path === imagePath && o.method === m), `${m} ${imagePath}`);
  const getImageInfo = need(
    ops.find((o) => o.method === 'GET' && o.path !== imagePath && o.path.startsWith(imagePath)),
    `a GET of the image's info beside ${imagePath}`,
  );
  const pathParams = (doc.paths?.[imagePath]?.parameters ?? []) as OpenAPIV3_1.ParameterObject[];
  const personId = need(pathParams.find((p) => p.in === 'path'), `the path parameter of ${imagePath}`);
  const multipartEntry = firstSave.requestMediaTypes.find((m) => m.family === 'multipart');
  const multipartSchema = need(multipartEntry, 'a multipart request body').schema;
  const field = need((multipartSchema.required ?? [])[0], 'the required field of the multipart body');
  const success = need(firstSave.responses.get(200), 'the 200 response of the save');
  const errorSchema = need(firstSave.responses.get(400)?.[0]?.schema, 'the 400 error body');
  const imageInfoSchema = need(getImageInfo.responses.get(200)?.[0]?.schema, 'the 200 body of ImageInfo');
  return {
    imagePath,
    imageInfoPath: getImageInfo.path,
    apiBase: doc.servers?.[0]?.url ? apiBasePath(doc) : '',
    personIdParameter: { name: personId.name, schema: asSchema(personId.schema) },
    save: saves,
    getImage: onImage('GET'),
    deleteImage: onImage('DELETE'),
    getImageInfo,
    imageMediaTypes: firstSave.requestMediaTypes.filter((m) => m.family === 'image').map((m) => m.type),
    multipart: { type: need(multipartEntry, 'a multipart request body').type, field },
    successMediaTypes: success,
    errorSchema,
    imageInfoSchema,
    headers: headerParameters(doc, imagePath),
    security: securityModel(doc),
    operations: ops,
  };
}

/** Fills a path template with the person id (as given, not encoded: callers choose the segment). */
export function personPath(template: string, personIdParameter: string, segment: string): string {
  return template.replace(`{${personIdParameter}}`, segment);
}

export function headersWithRole(model: SpecModel, role: string): HeaderParameter[] {
  return model.headers.filter((h) => h.role === role);
}
