/**
 * The readers of blob ids (src/checks/decode-blob-id.ts) that the checks, the run and the pact
 * consumer client share: the blob id of a 200 save answer (JSON or XML by its media type) and
 * ImageInfo's BlobId. Where the former copies differed: a byte-order mark before JSON is
 * dropped everywhere, XML is read with a parser (a namespace prefix, a declaration), and an id
 * that is not an integer is no id.
 */
import { describe, expect, it } from 'vitest';
import { decodeBlobId, decodeJsonBody, imageInfoBlobId } from '../../src/checks/decode-blob-id.js';
import { mediaFamily, type ResponseMediaType } from '../../src/spec/model.js';

const NS = 'http://schemas.microsoft.com/2003/10/Serialization/';
const media = (type: string, xml?: ResponseMediaType['xml']): ResponseMediaType => ({ type, family: mediaFamily(type), schema: {}, ...(xml ? { xml } : {}) });
const json = media('application/json');
const specXml = media('application/xml', { name: 'int', namespace: NS });
const anyXml = media('text/xml');

describe('decodeBlobId', () => {
  it.each<[string, string, ResponseMediaType, number | undefined]>([
    ['a JSON number', '825', json, 825],
    ['JSON with a byte-order mark and whitespace', '\uFEFF 825\n', json, 825],
    ['a negative JSON number', '-3', json, -3],
    ['a JSON fraction', '82.5', json, undefined],
    ['a JSON string', '"825"', json, undefined],
    ['not JSON', 'eight', json, undefined],
    ['XML with the namespace', `<int xmlns="${NS}">825</int>`, specXml, 825],
    ['XML without a namespace', '<int>825</int>', specXml, 825],
    ['XML with a declaration and a prefix', `<?xml version="1.0"?><s:int xmlns:s="${NS}"> 825 </s:int>`, specXml, 825],
    ['XML with another namespace', '<int xmlns="urn:other">825</int>', specXml, undefined],
    ['XML with another element than the spec names', '<long>825</long>', specXml, undefined],
    ['XML of any element when no schema names one (the consumer client)', '<id>825</id>', anyXml, 825],
    ['XML holding no integer', '<int>eight</int>', specXml, undefined],
    ['malformed XML', '<int>825</integer>', specXml, undefined],
    ['a body of another family', '825', media('text/plain'), undefined],
  ])('%s', (_what, text, m, id) => {
    expect(decodeBlobId(text, m)).toBe(id);
    expect(decodeBlobId(Buffer.from(text, 'utf8'), m)).toBe(id);
  });
});

describe('decodeJsonBody', () => {
  it('parses JSON after a byte-order mark, and says why a body is not JSON', () => {
    expect(decodeJsonBody('\uFEFF{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(decodeJsonBody(Buffer.from('null'))).toEqual({ ok: true, value: null });
    expect(decodeJsonBody('<html>')).toEqual({ ok: false, reason: 'the body is not JSON: "<html>"' });
  });
});

describe('imageInfoBlobId', () => {
  it.each<[string, string, number | undefined]>([
    ['a BlobEntity', '{"BlobId":825,"MimeType":"image/png"}', 825],
    ['no image (BlobId 0)', '{"BlobId":0,"MimeType":null}', 0],
    ['a byte-order mark', '\uFEFF{"BlobId":7}', 7],
    ['BlobId as a string', '{"BlobId":"825"}', undefined],
    ['no BlobId', '{"MimeType":"image/png"}', undefined],
    ['JSON null', 'null', undefined],
    ['a bare number', '825', undefined],
    ['not JSON', '<html></html>', undefined],
  ])('%s', (_what, text, id) => {
    expect(imageInfoBlobId(text)).toBe(id);
    expect(imageInfoBlobId(Buffer.from(text, 'utf8'))).toBe(id);
  });
});
