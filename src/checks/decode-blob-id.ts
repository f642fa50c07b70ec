/**
 * Reads the blob id out of a 200 body by its Content-Type: a bare JSON number, or the XML
 * element the spec's schema names (namespace optional: both serializations are allowed).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ResponseMediaType } from '../spec/model.js';

export type Decoded = { ok: true; value: unknown } | { ok: false; reason: string };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, ignoreDeclaration: true, removeNSPrefix: false });

export function decodeBody(body: Buffer, media: ResponseMediaType): Decoded {
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (media.family === 'json') {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, reason: `the body is not JSON: ${JSON.stringify(text.slice(0, 60))}` };
    }
  }
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
