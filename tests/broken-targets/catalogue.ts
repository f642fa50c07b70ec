/**
 * Deliberately broken targets: the reference target with exactly one step replaced, one (at
 * least) per rule of spec/rules.yaml. Each must be caught by the rule it breaks.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import type { TargetBehaviour, TargetContext } from '../../src/target/types.js';

export interface BrokenTarget {
  /** What the target gets wrong, in words. */
  breaks: string;
  behaviour: Partial<TargetBehaviour>;
}

const PNG_1X1 = { ok: true as const, format: 'png' as const, mediaType: 'image/png', width: 1, height: 1, pages: 1 };

function languageValues(headers: IncomingHttpHeaders, ctx: TargetContext): string[] {
  return ctx.model.headers
    .filter((h) => h.role === 'language')
    .map((h) => headers[h.name.toLowerCase()])
    .filter((v): v is string => typeof v === 'string');
}

/** A value no well-formed language tag, culture or time-zone code has. */
const looksMalformed = (v: string) => /[^A-Za-z0-9\-,;=.* ]/.test(v) || /;\s*$|^[;,]|,,/.test(v);

export const brokenTargets: Record<string, BrokenTarget> = {
  'valid-raw-upload': {
    breaks: 'refuses GIFs',
    behaviour: { validateImage: async (b, t, c) => ((await d.validateImage(b, t, c)).ok && b[0] === 0x47 ? { ok: false, reason: 'GIF not supported' } : d.validateImage(b, t, c)) },
  },
  'valid-multipart-upload': {
    breaks: 'looks for the multipart file under "file" instead of the spec\'s field',
    behaviour: {
      extractImage: (dec, body, ctx) =>
        dec.kind === 'multipart' ? d.extractImage(dec, body, { ...ctx, model: { ...ctx.model, multipart: { ...ctx.model.multipart, field: 'file' } } }) : d.extractImage(dec, body, ctx),
    },
  },
  'blob-id-positive': { breaks: 'answers negative blob ids', behaviour: { storeImage: (p, b, i, c) => -d.storeImage(p, b, i, c) } },
  'image-info-follows-upload': {
    breaks: "ImageInfo's BlobId lags one behind",
    behaviour: { imageInfo: (p, c) => ({ ...d.imageInfo(p, c), BlobId: Number(d.imageInfo(p, c).BlobId) - 1 }) },
  },
  'image-readable-after-upload': {
    breaks: 'GET Image answers 404 after an upload',
    behaviour: { getImage: async () => ({ status: 404, body: 'No image.' }) },
  },
  'language-headers-valid': {
    breaks: 'refuses language lists with q-values (400)',
    behaviour: {
      authenticate: (h, c) => (languageValues(h, c).some((v) => v.includes(',') && !looksMalformed(v)) ? { ok: false, status: 400, message: 'bad language' } : d.authenticate(h, c)),
    },
  },
  'language-headers-malformed-no-5xx': {
    breaks: 'crashes (500) on malformed language headers',
    behaviour: {
      authenticate: (h, c) => {
        if (languageValues(h, c).some(looksMalformed)) throw new Error('culture parse failure');
        return d.authenticate(h, c);
      },
    },
  },
  'language-headers-malformed-same-status': {
    breaks: 'refuses malformed language headers (400)',
    behaviour: { authenticate: (h, c) => (languageValues(h, c).some(looksMalformed) ? { ok: false, status: 400, message: 'bad culture' } : d.authenticate(h, c)) },
  },
  'auth-checked-first': {
    breaks: 'checks the Content-Type before the credentials',
    behaviour: {
      authenticate: (h, c) => {
        const type = (h['content-type'] ?? '').split(';')[0]!.trim();
        if (h['content-type'] !== undefined && !c.model.save[0]!.requestMediaTypes.some((m) => m.type === type)) return { ok: false, status: 400, message: 'unsupported type' };
        return d.authenticate(h, c);
      },
    },
  },
  'empty-body-rejected': {
    breaks: 'takes an empty body for a blank image',
    behaviour: { readBody: async (req, limit) => { const r = await d.readBody(req, limit); return r.ok && r.body.length === 0 ? { ok: true, body: Buffer.from([0]) } : r; }, validateImage: async (b, t, c) => (b.length === 1 ? PNG_1X1 : d.validateImage(b, t, c)) },
  },
  'no-signature-rejected': {
    breaks: 'accepts any bytes whose signature it does not know',
    behaviour: { validateImage: async (b, t, c) => (/^(\x89PNG|\xff\xd8|GIF8|II\*\0|MM\0\*)/.test(Buffer.from(b.subarray(0, 4)).toString('latin1')) ? d.validateImage(b, t, c) : PNG_1X1) },
  },
  'incomplete-header-rejected': {
    breaks: 'accepts a bare signature with a short header',
    behaviour: { validateImage: async (b, t, c) => (b.length < 40 ? PNG_1X1 : d.validateImage(b, t, c)) },
  },
  'zero-dimension-rejected': {
    breaks: 'accepts images that declare zero width or height',
    behaviour: { validateImage: async (b, t, c) => { const v = await d.validateImage(b, t, c); return !v.ok && /zero|\b0x|x0\b|width|height/i.test(v.reason) ? PNG_1X1 : v; } },
  },
  'damaged-image-no-5xx': {
    breaks: 'crashes (500) on damage behind a readable header',
    behaviour: { validateImage: async (b, t, c) => { const v = await d.validateImage(b, t, c); if (!v.ok && b.length >= 40) throw new Error('decoder crashed'); return v; } },
  },
  'damaged-image-rejected': {
    breaks: 'tolerates damage behind a readable header (200)',
    behaviour: { validateImage: async (b, t, c) => { const v = await d.validateImage(b, t, c); return !v.ok && b.length >= 40 && !/zero/i.test(v.reason) ? PNG_1X1 : v; } },
  },
  'undeclared-content-type-rejected': {
    breaks: 'takes any Content-Type as a raw image',
    behaviour: { checkContentType: (t, c) => { const r = d.checkContentType(t, c); return r.ok ? r : { ok: true, kind: 'raw', mediaType: t ?? 'application/octet-stream' }; } },
  },
  'content-type-mismatch-observed': {
    breaks: 'crashes (500) when the bytes disagree with the declared image type',
    behaviour: {
      validateImage: async (b, t, c) => {
        const v = await d.validateImage(b, t, c);
        if (v.ok && t !== undefined && c.model.imageMediaTypes.includes(t) && t !== v.mediaType) throw new Error('type mismatch');
        return v;
      },
    },
  },
  'multipart-without-image-rejected': {
    breaks: 'takes the first file part whatever its field name',
    behaviour: {
      extractImage: async (dec, body, ctx) => {
        const r = await d.extractImage(dec, body, ctx);
        if (r.ok || dec.kind !== 'multipart') return r;
        const m = /filename="[^"]*"\r\nContent-Type: [^\r]*\r\n\r\n/i.exec(body.toString('latin1'));
        return m ? { ok: true, bytes: body.subarray(m.index + m[0].length, body.lastIndexOf(`\r\n--${dec.boundary}`)) } : r;
      },
    },
  },
  'multipart-bad-image-rejected': {
    breaks: 'does not validate images that come in multipart',
    behaviour: { validateImage: async (b, t, c) => (t === undefined ? PNG_1X1 : d.validateImage(b, t, c)) },
  },
  'person-id-not-positive-rejected': {
    breaks: 'answers 422 to person ids of 0 and below',
    behaviour: { parsePersonId: (s, c) => (/^-?\d+$/.test(s) && Number(s) <= 0 ? { ok: false, status: 422, message: 'bad id' } : d.parsePersonId(s, c)) },
  },
  'person-id-unknown-rejected': { breaks: 'treats every int32 as a person', behaviour: { personExists: () => true } },
  'person-id-not-int32-rejected': {
    breaks: 'parses person ids with parseInt (1.5 is person 1)',
    behaviour: { parsePersonId: (s, c) => d.parsePersonId(String(Number.parseInt(s, 10) || s), c) },
  },
  'valid-credentials-accepted': {
    // Reads with Basic work (so the pre-flight accepts the credential); saves with it are refused.
    breaks: 'refuses Basic credentials on image saves',
    behaviour: { authenticate: (h, c) => (/^basic /i.test(h.authorization ?? '') && h['content-type'] !== undefined ? { ok: false, status: 401, message: 'Basic is off' } : d.authenticate(h, c)) },
  },
  'bad-credentials-rejected': {
    breaks: 'lets unknown auth schemes through',
    behaviour: { authenticate: (h, c) => (/^(digest|negotiate|token|ntlm|x-custom) /i.test(h.authorization ?? '') ? { ok: true, scheme: 'unknown' } : d.authenticate(h, c)) },
  },
  'failed-auth-changes-nothing': {
    breaks: 'touches the stored image before refusing bad credentials',
    behaviour: {
      authenticate: (h, c) => {
        const r = d.authenticate(h, c);
        if (!r.ok) for (const p of c.store.persons) { const img = c.store.get(p); if (img) c.store.put(p, img); }
        return r;
      },
    },
  },
  'no-server-error': {
    breaks: 'crashes (500) on long person id segments',
    behaviour: { parsePersonId: (s, c) => { if (s.length > 9) throw new Error('overflow'); return d.parsePersonId(s, c); } },
  },
  'response-schema': { breaks: 'answers the blob id as a JSON string', behaviour: { serializeBlobId: (m, id) => (m.family === 'json' ? JSON.stringify(String(id)) : d.serializeBlobId(m, id)) } },
  'accept-family': {
    breaks: 'ignores q-values: answers the first type the Accept lists',
    behaviour: {
      negotiate: (accept, c) => {
        const first = accept?.split(',')[0]?.split(';')[0]?.trim();
        return c.model.successMediaTypes.find((m) => m.type === first) ?? d.negotiate(accept, c);
      },
    },
  },
  'accept-exact-type': {
    breaks: "answers the family's first type instead of the one asked for",
    behaviour: { negotiate: (a, c) => { const m = d.negotiate(a, c); return m === 'not-acceptable' ? m : c.model.successMediaTypes.find((x) => x.family === m.family)!; } },
  },
  'accept-unsupported': {
    breaks: 'answers XML when Accept names nothing it can produce',
    behaviour: {
      negotiate: (a, c) => {
        const produces = a === undefined || c.model.successMediaTypes.some((m) => a.includes(m.type) || a.includes('*'));
        return produces ? d.negotiate(a, c) : c.model.successMediaTypes.find((m) => m.family === 'xml')!;
      },
    },
  },
  'error-body-shape': { breaks: 'answers errors as plain text', behaviour: { errorBody: (s) => ({ contentType: 'text/plain', body: `Error ${s}` }) } },
};
