/**
 * What the proxy reads of a request: its route against the spec's paths (route.ts), its
 * credential (credential-facts.ts: kind, fingerprint, secrets) and its body (body-inspection.ts,
 * with the reference target's own steps).
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectBody } from '../../src/proxy/body-inspection.js';
import { seenCredential } from '../../src/proxy/credential-facts.js';
import { routeReader, type RouteReader } from '../../src/proxy/route.js';
import { loadSpec } from '../../src/spec/load.js';
import type { SpecModel } from '../../src/spec/model.js';

let model: SpecModel;
let route: RouteReader;
beforeAll(async () => {
  model = (await loadSpec()).model;
  route = routeReader(model, '/SuperOffice/api/v1');
});

describe('the route of a proxied request', () => {
  it('reads the image and ImageInfo paths, the segment, the method and whether it is a save', () => {
    expect(route('PUT', '/SuperOffice/api/v1/Person/7/Image?x=1')).toEqual({ path: '/SuperOffice/api/v1/Person/7/Image', resource: 'image', segment: '7', underBase: true, methodDeclared: true, save: true });
    expect(route('GET', '/superoffice/API/v1/person/7/imageinfo')).toMatchObject({ resource: 'image-info', underBase: true, methodDeclared: true, save: false });
    expect(route('PATCH', '/SuperOffice/api/v1/Person/7/Image')).toMatchObject({ resource: 'image', methodDeclared: false, save: false });
    expect(route('PUT', '/SuperOffice/Person/%2D1/Image')).toMatchObject({ resource: 'image', segment: '-1', underBase: false });
    expect(route('GET', '/SuperOffice/api/v1/Contact/1')).toEqual({ path: '/SuperOffice/api/v1/Contact/1', underBase: true, methodDeclared: false, save: false });
  });
});

describe('the credential of a proxied request', () => {
  it('tells each kind from the headers, with the spec\'s scheme words in any case', () => {
    const kind = (h: Record<string, string>) => seenCredential(h, model).facts.kind;
    expect(kind({ authorization: 'basic dXNlcjpwdw==' })).toBe('basic');
    expect(kind({ authorization: 'SOTICKET 7T:abc' })).toBe('ticket');
    expect(kind({ authorization: 'Bearer 8A:abc' })).toBe('bearer');
    expect(kind({ authorization: 'Bearer' })).toBe('empty');
    expect(kind({ authorization: 'Token abc' })).toBe('unknown-scheme');
    expect(kind({ cookie: 'SoSession=a; XSRF-TOKEN=b', 'x-xsrf-token': 'b' })).toBe('session');
    expect(kind({ cookie: 'SoSession=a; XSRF-TOKEN=b' })).toBe('session-without-xsrf');
    expect(kind({})).toBe('none');
    expect(seenCredential({ authorization: 'SOTicket 7T:abc', 'so-apptoken': 't' }, model).facts.appToken).toBe(true);
  });

  it('fingerprints the same credential alike and different ones apart, and keeps its secrets for the redactor', () => {
    const a = seenCredential({ authorization: 'Basic dXNlcjpzM2NyZXQ=' }, model);
    expect(seenCredential({ authorization: 'Basic dXNlcjpzM2NyZXQ=' }, model).fingerprint).toBe(a.fingerprint);
    expect(seenCredential({ authorization: 'Basic dXNlcjpvdGhlcg==' }, model).fingerprint).not.toBe(a.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(seenCredential({}, model).fingerprint).toBe('none');
    expect(a.secrets).toEqual(expect.arrayContaining(['Basic dXNlcjpzM2NyZXQ=', 'dXNlcjpzM2NyZXQ=', 'user:s3cret', 's3cret']));
  });
});

describe('the body of a proxied save', () => {
  it('a raw PNG under its own type validates; under image/jpeg it is sniffed as PNG', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).png().toBuffer();
    const facts = await inspectBody(model, { contentType: 'image/jpeg', bytes: png, size: png.length }, 1 << 20);
    expect(facts).toMatchObject({ declared: { kind: 'raw', mediaType: 'image/jpeg' }, sniffed: 'png', validation: { ok: true, format: 'png' } });
  });

  it('a cut PNG does not validate; a multipart body without the image field says so; a body over the limit is not read', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } }).png().toBuffer();
    const cut = png.subarray(0, png.length - 20);
    expect((await inspectBody(model, { contentType: 'image/png', bytes: cut, size: cut.length }, 1 << 20)).validation?.ok).toBe(false);
    const form = new Response((() => {
      const f = new FormData();
      f.append('file', new Blob([png], { type: 'image/png' }), 'a.png');
      return f;
    })());
    const bytes = Buffer.from(await form.arrayBuffer());
    const multipart = await inspectBody(model, { contentType: form.headers.get('content-type')!, bytes, size: bytes.length }, 1 << 20);
    expect(multipart.declared).toEqual({ kind: 'multipart' });
    expect(multipart.missingField).toMatch(/no multipart field 'image'/);
    expect(multipart.validation).toBeUndefined();
    expect(await inspectBody(model, { contentType: 'image/png', bytes: undefined, size: 99 }, 10)).toEqual({ size: 99, overLimit: true, contentType: 'image/png', declared: { kind: 'raw', mediaType: 'image/png' } });
  });
});
