/**
 * A pact's HTTP interaction in one shape whatever the pact's version: headers and query as
 * lower-cased name -> values, bodies as text, bytes or a JSON value (V4 bodies decoded from
 * their `{ content, contentType, encoded }` form), the provider-state expression of the path,
 * and the statuses a status-code matcher allows. The pact checker (check-against-spec.ts)
 * reads interactions only through this.
 */

export interface Body {
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

export interface Interaction {
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

export function normalize(raw: Record<string, unknown>, index: number, v4: boolean): Interaction {
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
