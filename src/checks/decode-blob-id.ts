/**
 * Reads the blob id out of a 200 body by its Content-Type: a bare JSON number, or the XML
 * element the spec's schema names (namespace optional: both serializations are allowed); and
 * ImageInfo's BlobId out of a 200 ImageInfo body. The checks, the run and the pact consumer
 * client all read blob ids with these. A UTF-8 byte-order mark before JSON is dropped.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ResponseMediaType } from '../spec/model.js';

export type Decoded = { ok: true; value: unknown } | { ok: false; reason: string };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, ignoreDeclaration: true, removeNSPrefix: false });

function textOf(body: Uint8Array | string): string {
  return (typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')).replace(/^\uFEFF/, '');
}

/** A JSON body parsed (a byte-order mark dropped), or why it is not JSON. */
export function decodeJsonBody(body: Uint8Array | string): Decoded {
  const text = textOf(body);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: `the body is not JSON: ${JSON.stringify(text.slice(0, 60))}` };
  }
}

/** A 200 body decoded by its media type: JSON parsed, XML reduced to the integer its element holds. */
export function decodeBody(body: Uint8Array | string, media: ResponseMediaType): Decoded {
  if (media.family === 'json') return decodeJsonBody(body);
  const text = textOf(body);
  if (media.family === 'xml') {
    if (XMLValidator.validate(text) !== true) return { ok: false, reason: `the body is not well-formed XML: ${JSON.stringify(text.slice(0, 60))}` };
    const doc = parser.parse(text) as Record<string, unknown>;
    const roots = Object.keys(doc).filter((k) => !k.startsWith('?'));
    if (roots.length !== 1) return { ok: false, reason: 'the XML body has no single root element' };
    const root = roots[0]!;
    const want = media.xml?.name;
    const local = root.includes(':') ? root.slice(root.indexOf(':') + 1) : root;
    if (want && local !== want) return { ok: false, reason: `the XML root element is <${root}>, expected <${want}>` };
    const node = doc[root];
    let content: unknown = node;
    if (node && typeof node === 'object') {
      const attrs = node as Record<string, unknown>;
      const prefix = root.includes(':') ? root.slice(0, root.indexOf(':')) : undefined;
      const ns = attrs[prefix ? `@xmlns:${prefix}` : '@xmlns'];
      if (ns !== undefined && media.xml?.namespace && ns !== media.xml.namespace) {
        return { ok: false, reason: `the XML namespace is ${String(ns)}, expected ${media.xml.namespace} (or none)` };
      }
      content = attrs['#text'] ?? '';
    }
    const s = String(content).trim();
    if (!/^-?\d+$/.test(s)) return { ok: false, reason: `the XML element holds ${JSON.stringify(s.slice(0, 40))}, not an integer` };
    return { ok: true, value: Number(s) };
  }
  return { ok: false, reason: `cannot decode a body of family ${media.family}` };
}

/** The blob id of a 200 body: the integer it decodes to by its media type, or undefined. */
export function decodeBlobId(body: Uint8Array | string, media: ResponseMediaType): number | undefined {
  const d = decodeBody(body, media);
  return d.ok && typeof d.value === 'number' && Number.isInteger(d.value) ? d.value : undefined;
}

/** ImageInfo's BlobId from a 200 ImageInfo body (a JSON BlobEntity), or undefined when it holds no number there. */
export function imageInfoBlobId(body: Uint8Array | string): number | undefined {
  const d = decodeJsonBody(body);
  if (!d.ok || typeof d.value !== 'object' || d.value === null) return undefined;
  const id = (d.value as { BlobId?: unknown }).BlobId;
  return typeof id === 'number' ? id : undefined;
}
