/**
 * Deliberately broken targets: the reference target with one decision replaced, one per rule of
 * spec/rules.yaml. Each must be caught by the rule it breaks, and nothing but that break may
 * show: a run with every rule trips its own rule, every rule of `alsoTrips`, perhaps rules of
 * `mayTrip`, and no other (tests/broken-targets/broken-targets.test.ts). An extra rule is
 * declared only when it is a consequence of the break itself (the same answer judged by a rule
 * that overlaps); an override that broke more than its rule was made narrower instead.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderParameter } from '../../src/spec/model.js';
import { defaultBehaviour as d } from '../../src/target/behaviour.js';
import type { ImageValidation, TargetBehaviour, TargetContext } from '../../src/target/types.js';
import { wholeHeader } from '../support/whole-header.js';

export interface BrokenTarget {
  /** What the target gets wrong, in words. */
  breaks: string;
  behaviour: Partial<TargetBehaviour>;
  /**
   * Rules beside its own that a run with every rule trips every time, each with why: the same
   * answers are judged by that rule too, so the break cannot show without it.
   */
  alsoTrips?: Record<string, string>;
  /**
   * Rules beside its own that a run with every rule trips only when the seed draws a case that
   * reaches them (a consequence of the break, like `alsoTrips`, but not on every seed).
   */
  mayTrip?: Record<string, string>;
}

const PNG_1X1 = { ok: true as const, format: 'png' as const, mediaType: 'image/png', width: 1, height: 1, pages: 1 };

/**
 * The largest side the generators give the bodies of the families that only need *a* valid
 * image (language headers, accept, auth, content-type, person id; invalid bodies are built on
 * smaller ones). Only the valid-upload and round-trip families send larger valid images (the
 * extreme-image family's are beyond the pixel limit, refused whatever these targets do).
 */
const SMALL_BODY_SIDE = 64;
const largerThanSmallBodies = (v: ImageValidation) => v.ok && (v.width > SMALL_BODY_SIDE || v.height > SMALL_BODY_SIDE);

/** validateImage's declared type is the raw body's Content-Type; a multipart image has none. */
const isRaw = (declaredType: string | undefined) => declaredType !== undefined;

/** The width and height a PNG's IHDR or a GIF's screen descriptor declares. */
function declaredSize(b: Buffer): { width: number; height: number } | undefined {
  const head = b.toString('latin1', 0, 4);
  if (head === '\x89PNG' && b.length >= 24) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (head === 'GIF8' && b.length >= 10) return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  return undefined;
}

/** The most pixels the reference target decodes (src/target/image-validation.ts); beyond: decompression-bomb-no-5xx's case. */
const MAX_PIXELS = 8192 * 8192;
const beyondPixelLimit = (b: Buffer) => {
  const size = declaredSize(b);
  return size !== undefined && size.width * size.height > MAX_PIXELS;
};

const zeroDimension = (v: ImageValidation) => !v.ok && /zero width or height/.test(v.reason);
/** Refused, though its header is whole and declares a size it may decode: damage behind a readable header. */
const damaged = (b: Buffer, v: ImageValidation) => !v.ok && wholeHeader(b) && !zeroDimension(v) && !beyondPixelLimit(b);

function languageValues(headers: IncomingHttpHeaders, ctx: TargetContext): [HeaderParameter, string][] {
  return ctx.model.headers
    .filter((h) => h.role === 'language')
    .map((h): [HeaderParameter, unknown] => [h, headers[h.name.toLowerCase()]])
    .filter((e): e is [HeaderParameter, string] => typeof e[1] === 'string');
}

/** A value no well-formed language tag, culture or time-zone code has. */
const looksMalformed = (v: string) => /[^A-Za-z0-9\-,;=.* ]/.test(v) || /;\s*$|^[;,]|,,/.test(v);

/** A language list with q-values: `nb-NO, en;q=0.8, *;q=0.1`. */
const TAG = '(?:[A-Za-z]{1,3}(?:-[A-Za-z]{2})?|\\*)';
const Q_LIST = new RegExp(`^${TAG}(?:;q=0\\.\\d)?(?:, ${TAG};q=0\\.\\d)+$`);
/** Surely well-formed: a documented example, a language tag or a q-list (`*` alone left out: junk can be that too). */
const surelyWellFormed = (h: HeaderParameter, v: string) => v !== '*' && (h.examples.includes(v) || /^[A-Za-z]{1,3}(-[A-Za-z]{2})?$/.test(v) || Q_LIST.test(v));

/** Request bodies that came with an Authorization header (valid-credentials-accepted's target). */
const sentWithAuthorization = new WeakSet<Buffer>();

export const brokenTargets: Record<string, BrokenTarget> = {
  'valid-raw-upload': {
    breaks: `refuses raw images wider or taller than ${SMALL_BODY_SIDE} pixels`,
    behaviour: {
      validateImage: async (b, t, c) => {
        const v = await d.validateImage(b, t, c);
        return isRaw(t) && largerThanSmallBodies(v) ? { ok: false, reason: 'too large' } : v;
      },
    },
  },
  'valid-multipart-upload': {
    breaks: `refuses multipart images wider or taller than ${SMALL_BODY_SIDE} pixels`,
    behaviour: {
      validateImage: async (b, t, c) => {
        const v = await d.validateImage(b, t, c);
        return !isRaw(t) && largerThanSmallBodies(v) ? { ok: false, reason: 'too large' } : v;
      },
    },
  },
  'blob-id-positive': {
    breaks: 'hands out negative blob ids (and ImageInfo says the same)',
    behaviour: {
      storeImage: (p, b, i, c) => -d.storeImage(p, b, i, c),
      imageInfo: (p, c) => {
        const info = d.imageInfo(p, c);
        return { ...info, BlobId: info.BlobId === 0 ? 0 : -Number(info.BlobId) };
      },
    },
  },
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
      // Only when every language header is well-formed: a malformed one beside the list is another rule's case.
      authenticate: (h, c) => {
        const values = languageValues(h, c);
        return values.length > 0 && values.every(([p, v]) => surelyWellFormed(p, v)) && values.some(([, v]) => Q_LIST.test(v))
          ? { ok: false, status: 400, message: 'bad language' }
          : d.authenticate(h, c);
      },
    },
  },
  'language-headers-malformed-no-5xx': {
    breaks: 'crashes (500) on malformed language headers',
    behaviour: {
      authenticate: (h, c) => {
        if (languageValues(h, c).some(([, v]) => looksMalformed(v))) throw new Error('culture parse failure');
        return d.authenticate(h, c);
      },
    },
    alsoTrips: {
      'language-headers-malformed-same-status': 'the 500 is not the 200 the same upload gets without the headers',
      'no-server-error': 'a 500 is a server error whatever the case',
    },
  },
  'language-headers-malformed-same-status': {
    breaks: 'refuses malformed language headers (400)',
    behaviour: {
      authenticate: (h, c) => (languageValues(h, c).some(([, v]) => looksMalformed(v)) ? { ok: false, status: 400, message: 'bad culture' } : d.authenticate(h, c)),
    },
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
    alsoTrips: { 'bad-credentials-rejected': 'it judges every request with bad credentials, these too: the 400 is no 401 or 403' },
  },
  'empty-body-rejected': {
    breaks: 'takes an empty body for a blank image',
    behaviour: {
      readBody: async (req, limit) => {
        const r = await d.readBody(req, limit);
        return r.ok && r.body.length === 0 ? { ok: true, body: Buffer.from([0]) } : r;
      },
      validateImage: async (b, t, c) => (b.length === 1 ? PNG_1X1 : d.validateImage(b, t, c)),
    },
  },
  'no-signature-rejected': {
    breaks: 'accepts raw bytes whose signature it does not know',
    behaviour: {
      validateImage: async (b, t, c) =>
        isRaw(t) && !/^(\x89PNG|\xff\xd8|GIF8|II\*\0|MM\0\*)/.test(Buffer.from(b.subarray(0, 4)).toString('latin1')) ? PNG_1X1 : d.validateImage(b, t, c),
    },
  },
  'incomplete-header-rejected': {
    breaks: 'accepts a raw image signature with less than a whole header behind it',
    behaviour: {
      validateImage: async (b, t, c) => {
        const v = await d.validateImage(b, t, c);
        const signature = /^(\x89PNG|\xff\xd8|GIF8|II\*\0|MM\0\*)/.test(Buffer.from(b.subarray(0, 4)).toString('latin1'));
        return isRaw(t) && !v.ok && signature && !wholeHeader(b) ? PNG_1X1 : v;
      },
    },
  },
  'zero-dimension-rejected': {
    breaks: 'accepts raw images that declare zero width or height',
    behaviour: {
      validateImage: async (b, t, c) => {
        const v = await d.validateImage(b, t, c);
        return isRaw(t) && zeroDimension(v) ? PNG_1X1 : v;
      },
    },
  },
  'damaged-image-no-5xx': {
    breaks: 'crashes (500) on damage behind a readable header',
    behaviour: {
      validateImage: async (b, t, c) => {
        const v = await d.validateImage(b, t, c);
        if (damaged(b, v)) throw new Error('decoder crashed');
        return v;
      },
    },
    alsoTrips: {
      'damaged-image-rejected': 'it judges the same damaged images: the 500 is no 400',
      'no-server-error': 'a 500 is a server error whatever the case',
    },
  },
  'damaged-image-rejected': {
    breaks: 'tolerates damage behind a readable header (200)',
    behaviour: {
      validateImage: async (b, t, c) => {
        const v = await d.validateImage(b, t, c);
        return damaged(b, v) ? PNG_1X1 : v;
      },
    },
  },
  'undeclared-content-type-rejected': {
    breaks: 'takes any Content-Type as a raw image',
    behaviour: {
      checkContentType: (t, c) => {
        const r = d.checkContentType(t, c);
        return r.ok ? r : { ok: true, kind: 'raw', mediaType: t ?? 'application/octet-stream' };
      },
    },
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
    alsoTrips: { 'no-server-error': 'a 500 is a server error whatever the case' },
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
    breaks: 'does not check images that come in multipart for an empty body, a signature, a whole header or a size',
    behaviour: {
      // Damage is damaged-image-rejected's case, multipart or raw.
      validateImage: async (b, t, c) => {
        const v = await d.validateImage(b, t, c);
        return !isRaw(t) && !v.ok && !damaged(b, v) ? PNG_1X1 : v;
      },
    },
  },
  'decompression-bomb-no-5xx': {
    breaks: 'crashes (500) allocating the pixels of an image whose header declares more than 8192x8192',
    behaviour: {
      validateImage: async (b, t, c) => {
        if (beyondPixelLimit(b)) throw new Error('Out of memory.');
        return d.validateImage(b, t, c);
      },
    },
    alsoTrips: { 'no-server-error': 'a 500 is a server error whatever the case' },
  },
  'person-id-not-positive-rejected': {
    breaks: 'answers 422 to int32 person ids of 0 and below',
    behaviour: {
      parsePersonId: (s, c) => (/^-?\d+$/.test(s) && Number(s) <= 0 && Number(s) >= -(2 ** 31) ? { ok: false, status: 422, message: 'bad id' } : d.parsePersonId(s, c)),
    },
  },
  'person-id-unknown-rejected': { breaks: 'treats every int32 as a person', behaviour: { personExists: () => true } },
  'person-id-not-int32-rejected': {
    breaks: 'answers 422 to person id segments that are no int32 (letters, decimals, numbers beyond int32)',
    behaviour: {
      parsePersonId: (s, c) => {
        const n = Number(s.trim());
        const int32 = /^[+-]?\d+$/.test(s.trim()) && n >= -(2 ** 31) && n <= 2 ** 31 - 1;
        return int32 ? d.parsePersonId(s, c) : { ok: false, status: 422, message: 'The value is not valid for personId.' };
      },
    },
  },
  'valid-credentials-accepted': {
    // Reads with these credentials work (so the pre-flight accepts them), and so do saves the
    // target refuses anyway: the write right is checked last, just before the image is stored.
    breaks: 'refuses valid image uploads sent with Basic, ticket or Bearer credentials (403: only a browser session may write)',
    behaviour: {
      readBody: async (req, limit) => {
        const r = await d.readBody(req, limit);
        if (r.ok && req.headers.authorization !== undefined) sentWithAuthorization.add(r.body);
        return r;
      },
      extractImage: async (dec, body, ctx) => {
        const r = await d.extractImage(dec, body, ctx);
        if (!r.ok || !sentWithAuthorization.has(body)) return r;
        const v = await d.validateImage(r.bytes, dec.kind === 'raw' ? dec.mediaType : undefined, ctx);
        return v.ok ? { ok: false, status: 403, message: 'This user may not change the image.' } : r;
      },
    },
    alsoTrips: {
      'valid-raw-upload': 'every family sends its valid uploads with each configured credential: a raw one with Basic, a ticket or Bearer gets 403',
      'valid-multipart-upload': 'every family sends its valid uploads with each configured credential: a multipart one with Basic, a ticket or Bearer gets 403',
      'accept-unsupported': 'an upload whose Accept names nothing the server produces is a valid upload too: with Basic, a ticket or Bearer it gets 403, not a JSON 200 or 406',
    },
  },
  'app-token-no-5xx': {
    breaks: 'crashes (500) on an SO-AppToken of no registered app',
    behaviour: {
      authenticate: (h, c) => {
        const header = c.model.headers.find((p) => p.role === 'app-token')?.name.toLowerCase();
        if (header !== undefined && h[header] !== undefined && h[header] !== c.credentials.appToken) throw new Error('Unknown application.');
        return d.authenticate(h, c);
      },
    },
    alsoTrips: { 'no-server-error': 'a 500 is a server error whatever the case' },
  },
  'bad-credentials-rejected': {
    breaks: 'takes any SOTicket or Bearer value without checking it',
    behaviour: {
      authenticate: (h, c) => {
        const word = /^\s*(\S+)[ \t]+\S/.exec(h.authorization ?? '')?.[1]?.toLowerCase();
        const unchecked = [c.model.security.ticket?.scheme, c.model.security.bearer?.scheme].map((s) => s?.toLowerCase());
        return word !== undefined && unchecked.includes(word) ? { ok: true, scheme: word } : d.authenticate(h, c);
      },
    },
    alsoTrips: {
      'auth-checked-first': 'a bad ticket or token let through meets whatever else is wrong with the request, which answers it instead of a 401',
      'failed-auth-changes-nothing': 'a bad ticket or token let through with a valid image stores it',
    },
  },
  'failed-auth-changes-nothing': {
    breaks: 'touches the stored image before refusing bad credentials',
    behaviour: {
      authenticate: (h, c) => {
        const r = d.authenticate(h, c);
        if (!r.ok) {
          for (const p of c.store.persons) {
            const img = c.store.get(p);
            if (img) c.store.put(p, img);
          }
        }
        return r;
      },
    },
  },
  'no-server-error': {
    breaks: 'crashes (500) looking up a person that does not exist',
    behaviour: {
      personExists: (id, c) => {
        if (!d.personExists(id, c)) throw new Error('Object reference not set to an instance of an object.');
        return true;
      },
    },
    // Every request the suite sends is also judged by the rule of its kind, so no 500 can land on no-server-error alone.
    alsoTrips: { 'person-id-unknown-rejected': 'the 500 answers an int32 person id that names no person, which must get 400' },
  },
  'response-schema': {
    breaks: 'answers the blob id as a JSON string',
    behaviour: { serializeBlobId: (m, id) => (m.family === 'json' ? JSON.stringify(String(id)) : d.serializeBlobId(m, id)) },
    alsoTrips: {
      'valid-raw-upload': 'it wants the 200 body of a raw upload to be an int32, not a string',
      'valid-multipart-upload': 'it wants the 200 body of a multipart upload to be an int32, not a string',
    },
  },
  'accept-family': {
    breaks: 'ignores q-values: answers the first type the Accept lists',
    behaviour: {
      negotiate: (accept, c) => {
        const first = accept?.split(',')[0]?.split(';')[0]?.trim();
        return c.model.successMediaTypes.find((m) => m.type === first) ?? d.negotiate(accept, c);
      },
    },
    alsoTrips: { 'accept-exact-type': 'a type of the wrong family is not the type Accept prefers either' },
  },
  'accept-exact-type': {
    breaks: "answers the family's first type instead of the one asked for",
    behaviour: {
      negotiate: (a, c) => {
        const m = d.negotiate(a, c);
        return m === 'not-acceptable' ? m : c.model.successMediaTypes.find((x) => x.family === m.family)!;
      },
    },
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
