/**
 * Unit tests of the round-trip checks (src/checks/round-trip.ts): image-info-follows-upload
 * (ImageInfo's BlobId after a 200 is the blob id the upload answered) and
 * image-readable-after-upload (GET Image answers a declared image type whose bytes are an image
 * that decodes; re-encoding is allowed). ImageInfo dates here carry an offset or are null.
 */
import { describe, expect, it } from 'vitest';
import { imageDecodes, imageInfoFollowsUpload, imageReadableAfterUpload } from '../../src/checks/round-trip.js';
import type { CaseExtra, Check } from '../../src/checks/types.js';
import type { CaseFamily, CaseRecipe } from '../../src/generate/case.js';
import type { Observation } from '../../src/transport/observation.js';
import { applies, bad, caseOf, expectOutcome, imageBody, invalidBody, jsonAnswer, judge, noAnswer, obs, ok200, pngBytes, xmlInt } from './fixtures.js';

/** A BlobEntity as the ImageInfo read answers it. */
function blobEntity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    BlobId: 825,
    BlobSize: 1234,
    Description: null,
    ExtraInfo: null,
    IsEncrypted: false,
    IsZipped: false,
    MimeType: 'image/png',
    OriginalSize: 1234,
    CreatedDate: '2026-11-30T05:20:23Z',
    UpdatedDate: '2026-11-30T05:20:23+01:00',
    CreatedBy: 5,
    UpdatedBy: 5,
    ConceptualType: 'PERSONPHOTO',
    ...overrides,
  };
}
const info = (overrides: Record<string, unknown> = {}) => jsonAnswer(200, blobEntity(overrides));

const upload825 = ok200('825');
const png = await pngBytes(4, 4);
/** The shortest JPEG signature sniffing recognises (decoding is the engine's `imageDecodes` flag). */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const pngAnswer = (type = 'image/png', body: Buffer = png) => obs(200, body, { 'content-type': type });

const cases: [string, CaseFamily, Partial<CaseRecipe>, boolean][] = [
  ['round-trip raw', 'round-trip', {}, true],
  ['round-trip multipart, POST', 'round-trip', { body: imageBody('multipart'), method: 'POST' }, true],
  ['valid-upload raw', 'valid-upload', {}, false],
  ['accept raw', 'accept', {}, false],
  ['auth valid', 'auth', {}, false],
  ['auth bad', 'auth', { auth: bad.none() }, false],
  ['invalid-body', 'invalid-body', { body: invalidBody('empty') }, false],
  ['person-id', 'person-id', {}, false],
];

function appliesTable(check: Check): void {
  it.each(cases)('applies to %s: %s', async (_, family, overrides, want) => {
    expect(await applies(check, await caseOf(family, overrides))).toBe(want);
  });
}

describe('image-info-follows-upload', () => {
  appliesTable(imageInfoFollowsUpload);

  it.each<[string, Observation, CaseExtra]>([
    ['ImageInfo BlobId equals the JSON blob id', upload825, { imageInfo: info() }],
    ['null dates and a bare entity', upload825, { imageInfo: jsonAnswer(200, { BlobId: 825, CreatedDate: null, UpdatedDate: null }) }],
    ['the blob id from an XML answer', ok200(xmlInt(825), 'application/xml'), { imageInfo: info() }],
    ['the blob id from XML without namespace', ok200('<int>825</int>', 'text/xml'), { imageInfo: info() }],
    ['a large blob id', ok200('2147483647'), { imageInfo: info({ BlobId: 2147483647 }) }],
    ['a JPEG MimeType (the server re-encoded)', upload825, { imageInfo: info({ MimeType: 'image/jpeg' }) }],
    // No 200 with a blob id: nothing to follow (valid-*-upload judges the upload).
    ['an upload answered 400, ImageInfo unread', jsonAnswer(400, { Error: true, Message: 'no' }), {}],
    ['an upload that got no answer', noAnswer(), {}],
    ['a 200 that is not JSON', ok200('OK'), { imageInfo: info({ BlobId: 1 }) }],
    ['a 200 under an undeclared type', ok200('825', 'text/plain'), { imageInfo: info({ BlobId: 1 }) }],
  ])('passes %s', async (_, o, extra) => {
    expectOutcome(await judge(imageInfoFollowsUpload, await caseOf('round-trip'), o, extra), true);
  });

  it.each<[string, Observation, CaseExtra, RegExp]>([
    ['another BlobId', upload825, { imageInfo: info({ BlobId: 824 }) }, /blob id 825, but ImageInfo's BlobId is 824/],
    ['the old BlobId 0', upload825, { imageInfo: info({ BlobId: 0 }) }, /BlobId is 0/],
    ['the BlobId as a string', upload825, { imageInfo: info({ BlobId: '825' }) }, /not a BlobEntity/],
    ['no BlobId', upload825, { imageInfo: jsonAnswer(200, { MimeType: 'image/png' }) }, /not a BlobEntity/],
    ['a BlobId beyond int32', upload825, { imageInfo: info({ BlobId: 2 ** 31 }) }, /not a BlobEntity/],
    ['an entity that is an array', upload825, { imageInfo: jsonAnswer(200, [blobEntity()]) }, /not a BlobEntity/],
    ['a body that is not JSON', upload825, { imageInfo: obs(200, '<BlobEntity/>', { 'content-type': 'application/xml' }) }, /not JSON/],
    ['ImageInfo answered 404', upload825, { imageInfo: jsonAnswer(404, { Error: true, Message: 'gone' }) }, /answered 404, expected 200/],
    ['ImageInfo answered 500', upload825, { imageInfo: obs(500) }, /answered 500, expected 200/],
    ['ImageInfo got no answer', upload825, { imageInfo: noAnswer('timeout', 'late') }, /got no answer \(timeout/],
    ['ImageInfo not read at all', upload825, {}, /ImageInfo was not read/],
    ['the XML blob id differs', ok200(xmlInt(826), 'application/xml'), { imageInfo: info() }, /blob id 826, but ImageInfo's BlobId is 825/],
  ])('fails %s', async (_, o, extra, message) => {
    expectOutcome(await judge(imageInfoFollowsUpload, await caseOf('round-trip'), o, extra), message);
  });
});

describe('image-readable-after-upload', () => {
  appliesTable(imageReadableAfterUpload);

  it('imageDecodes tells an image that decodes from one that does not', async () => {
    expect(await imageDecodes(png)).toBe(true);
    expect(await imageDecodes(png.subarray(0, 40))).toBe(false);
    expect(await imageDecodes(Buffer.from('not an image'))).toBe(false);
  });

  it.each<[string, Observation, () => CaseExtra]>([
    ['a PNG answered as image/png', upload825, () => ({ image: pngAnswer(), imageDecodes: true })],
    ['the PNG with a Content-Type in upper case', upload825, () => ({ image: pngAnswer('IMAGE/PNG'), imageDecodes: true })],
    ['the PNG with a parameter on its Content-Type', upload825, () => ({ image: pngAnswer('image/png; name=photo.png'), imageDecodes: true })],
    ['a re-encoded JPEG after a PNG upload', upload825, () => ({ image: pngAnswer('image/jpeg', JPEG), imageDecodes: true })],
    ['an image whose decoding the engine did not try', upload825, () => ({ image: pngAnswer() })],
    ['after an XML blob id', ok200(xmlInt(825), 'text/xml'), () => ({ image: pngAnswer(), imageDecodes: true })],
    // No 200 with a blob id: nothing to read back.
    ['an upload answered 400', jsonAnswer(400, { Error: true, Message: 'no' }), () => ({})],
    ['an upload that got no answer', noAnswer(), () => ({})],
  ])('passes %s', async (_, o, extra) => {
    expectOutcome(await judge(imageReadableAfterUpload, await caseOf('round-trip'), o, extra()), true);
  });

  it.each<[string, () => CaseExtra, RegExp]>([
    ['GET Image not read', () => ({}), /image was not read after the upload/],
    ['GET Image answered 404', () => ({ image: jsonAnswer(404, { Error: true, Message: 'no image' }) }), /answered 404, expected 200/],
    ['GET Image answered 500', () => ({ image: obs(500) }), /answered 500, expected 200/],
    ['GET Image got no answer', () => ({ image: noAnswer() }), /got no answer/],
    ['an image under application/octet-stream', () => ({ image: pngAnswer('application/octet-stream'), imageDecodes: true }), /Content-Type "application\/octet-stream", not an image type/],
    ['an image with no Content-Type', () => ({ image: obs(200, png), imageDecodes: true }), /Content-Type "\(none\)"/],
    ['an image under a type the spec does not declare', () => ({ image: pngAnswer('image/webp'), imageDecodes: true }), /"image\/webp", not an image type/],
    ['bytes with no image signature', () => ({ image: pngAnswer('image/png', Buffer.from('<html>no photo</html>')), imageDecodes: false }), /start with no image signature/],
    ['an empty body', () => ({ image: pngAnswer('image/png', Buffer.alloc(0)) }), /0 bytes that start with no image signature/],
    ['a PNG that does not decode', () => ({ image: pngAnswer('image/png', png.subarray(0, 40)), imageDecodes: false }), /a png that does not decode/],
  ])('fails %s', async (_, extra, message) => {
    expectOutcome(await judge(imageReadableAfterUpload, await caseOf('round-trip'), upload825, extra()), message);
  });
});
