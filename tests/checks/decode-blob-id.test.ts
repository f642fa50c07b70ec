/**
 * Unit tests of `decodeBody` (src/checks/decode-blob-id.ts): a 200 body read by its media type
 * into the blob id. JSON is a bare number; XML is `<int>` with the Microsoft serialization
 * namespace or none, declaration and whitespace allowed. A wrong namespace or element name,
 * and anything but an integer, are refused with a reason. Decoding does not clamp: 2^31
 * comes out as 2^31 for the int32 checks to refuse.
 */
import { describe, expect, it } from 'vitest';
import { decodeBlobId, decodeBody, imageInfoBlobId } from '../../src/checks/decode-blob-id.js';
import { validRawUpload } from '../../src/checks/valid-upload.js';
import type { ResponseMediaType } from '../../src/spec/model.js';
import { caseOf, expectOutcome, judge, MS_NS, ok200, specContext, xmlInt } from './fixtures.js';

const { model } = await specContext();
const media = (type: string): ResponseMediaType => {
  const m = model.successMediaTypes.find((x) => x.type === type);
  if (!m) throw new Error(`the spec declares no 200 type ${type}`);
  return m;
};
const JSON_TYPES = ['application/json', 'text/json', 'application/json-patch+json', 'application/merge-patch+json'];
const XML_TYPES = ['application/xml', 'text/xml'];
const decode = (text: string, type: string) => decodeBody(Buffer.from(text, 'utf8'), media(type));

describe('decodeBody', () => {
  it('knows the four JSON and two XML 200 types of the spec, XML with the serialization element and namespace', () => {
    expect(model.successMediaTypes.map((m) => [m.type, m.family]).sort()).toEqual(
      [...JSON_TYPES.map((t) => [t, 'json']), ...XML_TYPES.map((t) => [t, 'xml'])].sort(),
    );
    for (const t of XML_TYPES) expect(media(t).xml).toEqual({ name: 'int', namespace: MS_NS });
  });

  describe('JSON', () => {
    it.each<[string, string, unknown]>([
      ['a bare number', '825', 825],
      ['whitespace around', ' \r\n825\n\t', 825],
      ['a byte-order mark', '\uFEFF825', 825],
      ['a negative number', '-17', -17],
      ['0', '0', 0],
      ['2^31 - 1', '2147483647', 2147483647],
      ['2^31 (not clamped: the int32 checks refuse it)', '2147483648', 2147483648],
      ['-2^31 - 1 (not clamped)', '-2147483649', -2147483649],
      ['a JSON string (decoded; the schema refuses it)', '"825"', '825'],
      ['a decimal (decoded; the checks refuse it)', '8.25', 8.25],
    ])('decodes %s', (_, text, value) => {
      for (const t of JSON_TYPES) expect(decode(text, t), t).toEqual({ ok: true, value });
    });

    it.each<[string, string]>([
      ['an empty body', ''],
      ['text', 'eight hundred'],
      ['a number followed by junk', '825 826'],
      ['XML', xmlInt(825)],
      ['a truncated object', '{"BlobId":'],
    ])('refuses %s as not JSON', (_, text) => {
      for (const t of JSON_TYPES) {
        const d = decode(text, t);
        expect(d.ok, t).toBe(false);
        if (!d.ok) expect(d.reason).toMatch(/not JSON/);
      }
    });
  });

  describe('XML', () => {
    it.each<[string, string, number]>([
      ['the DataContract form with the Microsoft serialization namespace', xmlInt(825), 825],
      ['<int>825</int> without namespace', '<int>825</int>', 825],
      ['an XML declaration', `<?xml version="1.0" encoding="utf-8"?>${xmlInt(825)}`, 825],
      ['an XML declaration, a newline and no namespace', '<?xml version="1.0"?>\n<int>825</int>\n', 825],
      ['a byte-order mark and a declaration', `\uFEFF<?xml version="1.0" encoding="utf-8"?>${xmlInt(825)}`, 825],
      ['the namespace on a prefix', `<a:int xmlns:a="${MS_NS}">825</a:int>`, 825],
      ['whitespace inside the element', `<int xmlns="${MS_NS}">\n  825\n</int>`, 825],
      ['a further xmlns:i declaration', `<int xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="${MS_NS}">825</int>`, 825],
      ['a negative number', '<int>-5</int>', -5],
      ['2^31 - 1', xmlInt(2 ** 31 - 1), 2 ** 31 - 1],
      ['2^31 (not clamped: the int32 checks refuse it)', xmlInt(2 ** 31), 2 ** 31],
      ['-2^31 - 1 (not clamped)', xmlInt(-(2 ** 31) - 1), -(2 ** 31) - 1],
    ])('decodes %s', (_, text, value) => {
      for (const t of XML_TYPES) expect(decode(text, t), t).toEqual({ ok: true, value });
    });

    it.each<[string, string, RegExp]>([
      ['a wrong default namespace', '<int xmlns="http://example.com/not-serialization">825</int>', /namespace is http:\/\/example\.com\/not-serialization, expected http:\/\/schemas\.microsoft\.com/],
      ['the namespace without its trailing slash', '<int xmlns="http://schemas.microsoft.com/2003/10/Serialization">825</int>', /namespace/],
      ['a wrong namespace on a prefix', '<a:int xmlns:a="urn:other">825</a:int>', /namespace is urn:other/],
      ['a wrong element name', `<long xmlns="${MS_NS}">825</long>`, /root element is <long>, expected <int>/],
      ['a wrong element name without namespace', '<string>825</string>', /root element is <string>/],
      ['the element name in another case', '<Int>825</Int>', /root element is <Int>/],
      ['letters', xmlInt('abc'), /holds "abc", not an integer/],
      ['a decimal', xmlInt('8.25'), /holds "8.25", not an integer/],
      ['an exponent', xmlInt('1e3'), /not an integer/],
      ['a hexadecimal number', xmlInt('0x10'), /not an integer/],
      ['an empty element', xmlInt(''), /holds "", not an integer/],
      ['a self-closing element', '<int/>', /not an integer/],
      ['a child element', `<int xmlns="${MS_NS}"><value>825</value></int>`, /not an integer/],
      ['two numbers', '<int>825 826</int>', /not an integer/],
      ['two root elements', '<int>825</int><int>826</int>', /no single root element|not well-formed/],
      ['a bare number', '825', /no single root element|not well-formed/],
      ['JSON', '{"int":825}', /no single root element|not well-formed/],
      ['an unclosed element', '<int>825', /not well-formed XML/],
      ['mismatched tags', '<int>825</long>', /not well-formed XML/],
      ['an empty body', '', /no single root element|not well-formed/],
    ])('refuses %s', (_, text, reason) => {
      for (const t of XML_TYPES) {
        const d = decode(text, t);
        expect(d, t).toMatchObject({ ok: false });
        if (!d.ok) expect(d.reason, t).toMatch(reason);
      }
    });
  });

  it('refuses a media type of another family', () => {
    const d = decodeBody(Buffer.from('825'), { type: 'text/plain', family: 'other', schema: {} });
    expect(d).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot decode a body of family other/) });
  });

  it('2^31 decoded from XML is refused by valid-raw-upload, 2^31 - 1 is not', async () => {
    const c = await caseOf('valid-upload', { accept: 'application/xml' });
    expectOutcome(await judge(validRawUpload, c, ok200(xmlInt(2 ** 31), 'application/xml')), /not an int32/);
    expectOutcome(await judge(validRawUpload, c, ok200(xmlInt(2 ** 31 - 1), 'application/xml')), true);
  });
});

describe('the blob id edges (found by mutation:unit)', () => {
  it('an <int> with attributes but no default namespace decodes (only a namespace that is given and wrong is refused)', () => {
    for (const t of XML_TYPES) expect(decode('<int xmlns:i="http://www.w3.org/2001/XMLSchema-instance">825</int>', t), t).toEqual({ ok: true, value: 825 });
  });

  it('a processing instruction beside the root is no second root', () => {
    for (const t of XML_TYPES) expect(decode('<?xml version="1.0"?><?xml-stylesheet href="a.xsl"?><int>825</int>', t), t).toEqual({ ok: true, value: 825 });
  });

  it('a byte-order mark only at the start is dropped: JSON after one decodes, a BOM inside the text is no number', () => {
    expect(decode('\uFEFF825', 'application/json')).toEqual({ ok: true, value: 825 });
    expect(decode('8\uFEFF25', 'application/json')).toMatchObject({ ok: false });
  });

  it('the reasons quote the start of the body', () => {
    const d = decode('eight hundred', 'application/json');
    expect(d).toEqual({ ok: false, reason: 'the body is not JSON: "eight hundred"' });
    const x = decode('<int>825', 'application/xml');
    expect(x.ok === false && x.reason).toMatch(/^the body is not well-formed XML/);
  });

  it('decodeBlobId: an integer, or undefined for a string, a decimal or no JSON', () => {
    const json = media('application/json');
    expect(decodeBlobId('825', json)).toBe(825);
    expect(decodeBlobId('"825"', json)).toBeUndefined();
    expect(decodeBlobId('8.25', json)).toBeUndefined();
    expect(decodeBlobId('x', json)).toBeUndefined();
  });

  it('imageInfoBlobId: a BlobEntity\'s number, else undefined (no JSON, null, a number, a string BlobId, none)', () => {
    expect(imageInfoBlobId('{"BlobId":825,"MimeType":"image/png"}')).toBe(825);
    expect(imageInfoBlobId(Buffer.from('{"BlobId":0}'))).toBe(0);
    for (const body of ['x', 'null', '825', '{"BlobId":"825"}', '{}', '[825]']) expect(imageInfoBlobId(body), body).toBeUndefined();
  });
});

