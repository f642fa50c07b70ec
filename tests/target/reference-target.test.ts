/**
 * The strict reference target against each rule of spec/rules.yaml that concerns the server's
 * answers. Every request goes over HTTP to 127.0.0.1 with undici.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import sharp from 'sharp';
import { FormData } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load.js';
import type { SpecModel } from '../../src/spec/model.js';
import { startReferenceTarget, type RunningTarget } from '../../src/target/index.js';
import { auth, base, basicHeader, blobIdOf, call, imageUrl, infoUrl, multipart, png, upload, validImages, type Answer, type Headers } from './helpers.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));

let t: RunningTarget;
let model: SpecModel;
let image: Buffer;
let validateError: (v: unknown) => boolean;

beforeAll(async () => {
  model = (await loadSpec()).model;
  t = await startReferenceTarget();
  image = await png();
  validateError = ajv.compile(model.errorSchema);
});
afterAll(async () => {
  await t.close();
});

function expectError(a: Answer, status: number): void {
  expect(a.status, a.text).toBe(status);
  expect(a.contentType).toMatch(/^application\/json/);
  const body = JSON.parse(a.text) as Record<string, unknown>;
  expect(validateError(body), a.text).toBe(true);
  expect(body).toMatchObject({ Error: true, ErrorType: expect.any(String), ErrorMessage: expect.any(String), ErrorSource: expect.any(String) });
  expect(a.text).not.toMatch(/\n\s+at /); // no stack trace
}

function expectBlobId(a: Answer): number {
  expect(a.status, a.text).toBe(200);
  expect(a.contentType).toBe('application/json; charset=utf-8');
  const id = JSON.parse(a.text) as unknown;
  expect(Number.isInteger(id) && (id as number) > 0 && (id as number) <= 2 ** 31 - 1).toBe(true);
  return id as number;
}

describe('valid uploads', () => {
  it('answers 200 with an int32 for every variety, raw and multipart; ImageInfo and GET follow', async () => {
    const person = t.persons[0] ?? 1;
    let last = 0;
    for (const img of await validImages()) {
      for (const form of ['raw', 'multipart'] as const) {
        const a =
          form === 'raw'
            ? await upload(t, person, img.bytes, img.type)
            : await call(imageUrl(t, person), 'PUT', auth(t), multipart(model.multipart.field, img.bytes, 'photo', img.type));
        const id = expectBlobId(a);
        expect(id, `${img.name} ${form}`).toBeGreaterThan(last);
        last = id;
        const info = JSON.parse((await call(infoUrl(t, person), 'GET', auth(t))).text) as Record<string, unknown>;
        expect(info).toMatchObject({ BlobId: id, MimeType: img.type, BlobSize: img.bytes.length, ConceptualType: 'PERSONPHOTO' });
        const got = await call(imageUrl(t, person), 'GET', auth(t));
        expect(got.status).toBe(200);
        expect(got.contentType).toBe(img.type);
        expect(got.bytes.equals(img.bytes)).toBe(true);
      }
    }
  });

  it('POST is identical to PUT', async () => {
    const a = await call(imageUrl(t, 2), 'POST', { ...auth(t), 'content-type': 'image/png' }, image);
    expect(await blobIdOf(t, 2)).toBe(expectBlobId(a));
  });

  it('takes the multipart field also when it is sent without a file name', async () => {
    const raw = Buffer.from(await png());
    const boundary = 'b0undary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${model.multipart.field}"\r\n\r\n`),
      raw,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const a = await upload(t, 2, body, `multipart/form-data; boundary=${boundary}`);
    expectBlobId(a);
    expect((await call(imageUrl(t, 2), 'GET', auth(t))).bytes.equals(raw)).toBe(true);
  });

  it('accepts media types case-insensitively and with parameters', async () => {
    expectBlobId(await upload(t, 3, image, 'IMAGE/PNG'));
    expectBlobId(await upload(t, 3, image, 'image/png; charset=binary'));
  });

  it('accepts image bytes under another declared image type by their bytes (content-type-mismatch-observed)', async () => {
    const id = expectBlobId(await upload(t, 3, image, 'image/jpeg'));
    const info = JSON.parse((await call(infoUrl(t, 3), 'GET', auth(t))).text) as Record<string, unknown>;
    expect(info).toMatchObject({ BlobId: id, MimeType: 'image/png' });
  });

  it('validates a 2048x2048 upload', async () => {
    const big = await sharp({ create: { width: 2048, height: 2048, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
      .jpeg()
      .toBuffer();
    expectBlobId(await upload(t, 4, big, 'image/jpeg'));
  });

  it('keeps the status of a valid upload whatever the language headers say, valid or malformed', async () => {
    const language = model.headers.filter((h) => h.role === 'language');
    expect(language.length).toBeGreaterThan(0);
    for (const h of language) {
      for (const value of [...h.examples, ...h.malformedExamples]) {
        // Header values must be latin1 on the wire; send non-latin1 examples as UTF-8 bytes.
        const wire = Buffer.from(value, 'utf8').toString('latin1');
        expectBlobId(await upload(t, 4, image, 'image/png', { [h.name]: wire }));
      }
    }
  });
});

describe('content negotiation', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['text/json', 'text/json'],
    ['application/json-patch+json', 'application/json-patch+json'],
    ['application/merge-patch+json', 'application/merge-patch+json'],
    ['application/xml', 'application/xml'],
    ['text/xml', 'text/xml'],
    ['application/xml;q=0.5, application/json;q=0.9', 'application/json'],
    ['application/json;q=0.1, text/xml', 'text/xml'],
    ['text/*', 'text/json'],
    ['application/*;q=0.2, text/xml;q=0.8', 'text/xml'],
    ['image/png', 'application/json'],
    ['application/json;q=0', 'application/json'],
    ['garbage;;;q=x', 'application/json'],
  ];
  it.each(cases)('Accept %s -> %s', async (accept, expected) => {
    const a = await upload(t, 5, image, 'image/png', accept === undefined ? {} : { accept });
    expect(a.status).toBe(200);
    expect(a.contentType).toBe(`${expected}; charset=utf-8`);
    const id = await blobIdOf(t, 5);
    const mt = model.successMediaTypes.find((m) => m.type === expected);
    if (mt?.family === 'xml') expect(a.text).toBe(`<int xmlns="http://schemas.microsoft.com/2003/10/Serialization/">${id}</int>`);
    else expect(JSON.parse(a.text)).toBe(id);
  });
});

describe('invalid bodies get 400 and change nothing', () => {
  it('empty, no signature, incomplete header, zero dimension, damaged', async () => {
    const person = 3;
    expectBlobId(await upload(t, person, image, 'image/png'));
    const before = await blobIdOf(t, person);
    const gif = Buffer.from(await base().gif().toBuffer());
    const zeroGif = Buffer.from(gif);
    zeroGif.writeUInt16LE(0, 6);
    const jpeg = await base().jpeg().toBuffer();
    const bodies: [string, Buffer, string][] = [
      ['empty', Buffer.alloc(0), 'image/png'],
      ['text', Buffer.from('just some text'), 'image/png'],
      ['json', Buffer.from('{"a":1}'), 'image/jpeg'],
      ['pdf', Buffer.from('%PDF-1.4\n%%EOF'), 'image/tiff'],
      ['webp', await base().webp().toBuffer(), 'image/gif'],
      ['png header only', image.subarray(0, 16), 'image/png'],
      ['zero-width gif', zeroGif, 'image/gif'],
      ['truncated jpeg', jpeg.subarray(0, jpeg.length >> 1), 'image/jpeg'],
      ['gif without trailer', gif.subarray(0, gif.length - 1), 'image/gif'],
      ['png without IEND', image.subarray(0, image.length - 12), 'image/png'],
    ];
    for (const [name, bytes, type] of bodies) {
      const raw = await upload(t, person, bytes, type);
      expect(raw.status, name).toBe(400);
      expectError(raw, 400);
      if (bytes.length > 0) expectError(await call(imageUrl(t, person), 'PUT', auth(t), multipart(model.multipart.field, bytes)), 400);
    }
    expect(await blobIdOf(t, person)).toBe(before);
  });

  it('an undeclared or missing Content-Type gets 400', async () => {
    for (const type of ['text/plain', 'application/octet-stream', 'application/json', 'image/webp', 'image/bmp', 'image/png2', 'image', '', '/']) {
      expectError(await upload(t, 1, image, type), 400);
    }
    expectError(await call(imageUrl(t, 1), 'PUT', auth(t), image), 400);
  });

  it('multipart without the image field, without a boundary, or malformed gets 400', async () => {
    expectError(await call(imageUrl(t, 1), 'PUT', auth(t), multipart('photo', image)), 400);
    const onlyText = new FormData();
    onlyText.append('something', 'else');
    expectError(await call(imageUrl(t, 1), 'PUT', auth(t), onlyText), 400);
    expectError(await upload(t, 1, image, 'multipart/form-data'), 400);
    expectError(await upload(t, 1, Buffer.from('--x\r\nnot a part header\r\n'), 'multipart/form-data; boundary=x'), 400);
    expectError(await upload(t, 1, Buffer.from('no boundary in here at all'), 'multipart/form-data; boundary=x'), 400);
  });
});

describe('person ids', () => {
  it.each(['0', '-1', '-2147483648', '999', '2147483647'])('int32 %s that is no person gets 400', async (segment) => {
    expectError(await upload(t, segment, image, 'image/png'), 400);
  });
  it.each(['abc', '2147483648', '1.5', '1e3', '0x10', '%25zz', '%zz', '', '%20'])('non-int32 %j gets 400', async (segment) => {
    expectError(await upload(t, segment, image, 'image/png'), 400);
  });
  it('GET ImageInfo and DELETE check the person id too', async () => {
    expectError(await call(infoUrl(t, 0), 'GET', auth(t)), 400);
    expectError(await call(imageUrl(t, 'x'), 'DELETE', auth(t)), 400);
  });
});

describe('authentication', () => {
  function good(): Record<string, Headers> {
    const c = t.credentials;
    return {
      basic: auth(t),
      ticket: { authorization: `SOTicket ${c.soticket}` },
      ticketUpper: { authorization: `SOTICKET ${c.soticket}` },
      ticketMixed: { authorization: `soTicket ${c.soticket}` },
      bearer: { authorization: `Bearer ${c.bearer}` },
      bearerLower: { authorization: `bearer ${c.bearer}` },
      session: { cookie: c.session.cookie, 'x-xsrf-token': c.session.xsrfToken },
    };
  }
  function bad(): Record<string, Headers> {
    const c = t.credentials;
    const tampered = `${c.soticket.slice(0, -2)}${c.soticket.endsWith('AA') ? 'BB' : 'AA'}`;
    const cookieToken = c.session.cookie.replace(/XSRF-TOKEN=[^;]*/, 'XSRF-TOKEN=other');
    return {
      none: {},
      wrongPassword: { authorization: basicHeader(c.basic.user, `${c.basic.password}x`) },
      wrongUser: { authorization: basicHeader('nobody', c.basic.password) },
      basicNotBase64: { authorization: 'Basic !!!not-base64!!!' },
      basicNoColon: { authorization: `Basic ${Buffer.from(`${c.basic.user}${c.basic.password}`).toString('base64')}` },
      basicEmpty: { authorization: 'Basic' },
      tamperedTicket: { authorization: `SOTicket ${tampered}` },
      randomTicket: { authorization: 'SOTicket 7T:cmFuZG9tLXRpY2tldA==' },
      randomBearer: { authorization: 'Bearer 8A:cmFuZG9tLWJlYXJlcg==' },
      expiredBearer: { authorization: 'Bearer 8A:ZXhwaXJlZC10b2tlbg==' },
      ticketAsBearer: { authorization: `Bearer ${c.soticket}` },
      unknownScheme: { authorization: `Digest ${c.soticket}` },
      garbage: { authorization: '   ' },
      sessionWithoutXsrf: { cookie: c.session.cookie },
      sessionWrongXsrf: { cookie: c.session.cookie, 'x-xsrf-token': 'nope' },
      sessionCookieTokenMismatch: { cookie: cookieToken, 'x-xsrf-token': 'other' },
      xsrfWithoutCookie: { 'x-xsrf-token': c.session.xsrfToken },
      validSessionButBadAuthorization: { cookie: c.session.cookie, 'x-xsrf-token': c.session.xsrfToken, authorization: 'Bearer nope' },
    };
  }

  it('accepts each scheme, the scheme word in any case', async () => {
    for (const [name, headers] of Object.entries(good())) {
      const a = await call(imageUrl(t, 1), 'PUT', { ...headers, 'content-type': 'image/png' }, image);
      expect(a.status, name).toBe(200);
    }
  });

  it('refuses every bad-credentials form with 401 and an error body, and the image stays', async () => {
    expectBlobId(await upload(t, 1, image, 'image/png'));
    const before = await blobIdOf(t, 1);
    for (const [name, headers] of Object.entries(bad())) {
      const a = await call(imageUrl(t, 1), 'PUT', { ...headers, 'content-type': 'image/png' }, image);
      expect(a.status, name).toBe(401);
      expectError(a, 401);
      expect(a.headers['www-authenticate']).toBeDefined();
      expect((await call(imageUrl(t, 1), 'DELETE', headers)).status, name).toBe(401);
    }
    expect(await blobIdOf(t, 1)).toBe(before);
  });

  it('checks authentication before anything else', async () => {
    const none = bad().wrongPassword ?? {};
    const wrongs: [string | number, Headers, Buffer][] = [
      ['abc', { 'content-type': 'image/png' }, image],
      [0, { 'content-type': 'image/png' }, image],
      [999, { 'content-type': 'image/png' }, image],
      [1, { 'content-type': 'text/plain' }, image],
      [1, { 'content-type': 'image/png' }, Buffer.alloc(0)],
      [1, { 'content-type': 'image/png' }, Buffer.from('garbage')],
      [1, { 'content-type': 'image/png', accept: 'image/png' }, image],
      [1, { 'content-type': 'multipart/form-data' }, image],
    ];
    for (const [person, headers, body] of wrongs) {
      for (const creds of [none, {}]) expectError(await call(imageUrl(t, person), 'PUT', { ...creds, ...headers }, body), 401);
    }
    expectError(await call(`${t.url}/No/Such/Path`, 'GET', none), 401);
  });

  it('requires the app token with a ticket when one is configured', async () => {
    const online = await startReferenceTarget({ credentials: { appToken: 'app-123' } });
    try {
      const ticket = { authorization: `SOTicket ${online.credentials.soticket}`, 'content-type': 'image/png' };
      expectError(await call(imageUrl(online, 1), 'PUT', ticket, image), 401);
      expectError(await call(imageUrl(online, 1), 'PUT', { ...ticket, 'so-apptoken': 'wrong' }, image), 401);
      expect((await call(imageUrl(online, 1), 'PUT', { ...ticket, 'so-apptoken': 'app-123' }, image)).status).toBe(200);
    } finally {
      await online.close();
    }
  });
});

describe('GET Image, DELETE Image, ImageInfo', () => {
  it('round trip: upload, info, get (as stored, converted, scaled), delete, 404, BlobId 0', async () => {
    const person = 2;
    const validateInfo = ajv.compile(model.imageInfoSchema);
    const id = expectBlobId(await upload(t, person, image, 'image/png'));
    const info = await call(infoUrl(t, person), 'GET', auth(t));
    expect(info.status).toBe(200);
    expect(validateInfo(JSON.parse(info.text))).toBe(true);
    expect(JSON.parse(info.text)).toMatchObject({ BlobId: id });

    const asJpeg = await call(`${imageUrl(t, person)}?type=JPEG`, 'GET', auth(t));
    expect(asJpeg.contentType).toBe('image/jpeg');
    expect((await sharp(asJpeg.bytes).metadata()).format).toBe('jpeg');
    const scaled = await call(`${imageUrl(t, person)}?w=10&h=7&type=GIF`, 'GET', auth(t));
    expect(scaled.contentType).toBe('image/gif');
    expect(await sharp(scaled.bytes).metadata()).toMatchObject({ format: 'gif', width: 10, height: 7 });
    expectError(await call(`${imageUrl(t, person)}?type=BMP`, 'GET', auth(t)), 400);
    expectError(await call(`${imageUrl(t, person)}?w=-3`, 'GET', auth(t)), 400);

    const del = await call(imageUrl(t, person), 'DELETE', auth(t));
    expect(del.status).toBe(204);
    expect(del.bytes.length).toBe(0);
    expectError(await call(imageUrl(t, person), 'GET', auth(t)), 404);
    const blank = await call(`${imageUrl(t, person)}?ifBlank=ClearPixel`, 'GET', auth(t));
    expect(blank.status).toBe(200);
    expect((await sharp(blank.bytes).metadata()).width).toBe(1);
    const after = JSON.parse((await call(infoUrl(t, person), 'GET', auth(t))).text) as Record<string, unknown>;
    expect(validateInfo(after)).toBe(true);
    expect(after).toMatchObject({ BlobId: 0, MimeType: null, ConceptualType: 'PERSONPHOTO' });
    expect((await call(imageUrl(t, person), 'DELETE', auth(t))).status).toBe(204);
  });

  it('answers 404 for unknown paths and 405 for other methods, with error bodies', async () => {
    expectError(await call(`${t.url}/Person/1/Nothing`, 'GET', auth(t)), 404);
    expectError(await call(`${t.url.replace('/api/v1', '')}/Person/1/Image`, 'GET', auth(t)), 404);
    const patch = await call(imageUrl(t, 1), 'PATCH', auth(t));
    expectError(patch, 405);
    expect(patch.headers.allow).toMatch(/PUT/);
  });

  it('counts requests: every one it answers, whatever the answer', async () => {
    // A target of its own, so the count does not depend on the tests before this one.
    const own = await startReferenceTarget();
    try {
      expect(own.requestCount()).toBe(0);
      expectBlobId(await upload(own, own.persons[0]!, image, 'image/png'));
      expect((await call(infoUrl(own, own.persons[0]!), 'GET', auth(own))).status).toBe(200);
      expect((await call(infoUrl(own, own.persons[0]!), 'GET')).status).toBe(401);
      expect((await call(`${own.url}/Person/1/Nothing`, 'GET', auth(own))).status).toBe(404);
      expect((await call(imageUrl(own, 1), 'PATCH', auth(own))).status).toBe(405);
      expect(own.requestCount()).toBe(5);
    } finally {
      await own.close();
    }
  });
});
