/**
 * The .NET framing of a multipart body (src/transport/multipart-framing.ts): the bytes .NET's
 * HttpClient MultipartFormDataContent writes, read back by busboy (the parser the reference target
 * uses) and by the reference target's own steps.
 */
import busboy from 'busboy';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load.js';
import type { SpecModel } from '../../src/spec/model.js';
import { checkContentType } from '../../src/target/content-type.js';
import { extractImage } from '../../src/target/multipart.js';
import { ImageStore } from '../../src/target/store.js';
import type { TargetContext } from '../../src/target/types.js';
import { frameAsDotnet, shownMultipartType } from '../../src/transport/multipart-framing.js';

const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]);
const part = { field: 'image', filename: 'photo one.png', contentType: 'image/png', bytes };

let model: SpecModel;
beforeAll(async () => {
  model = (await loadSpec()).model;
});

function parse(payload: Uint8Array, contentType: string): Promise<{ name: string; filename: string; mimeType: string; bytes: Buffer }[]> {
  return new Promise((resolve, reject) => {
    const out: { name: string; filename: string; mimeType: string; bytes: Buffer }[] = [];
    const bb = busboy({ headers: { 'content-type': contentType } });
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => out.push({ name, filename: info.filename ?? '', mimeType: info.mimeType, bytes: Buffer.concat(chunks) }));
    });
    bb.on('close', () => resolve(out));
    bb.on('error', reject);
    Readable.from([Buffer.from(payload)]).pipe(bb);
  });
}

describe('frameAsDotnet', () => {
  it('quotes a GUID boundary in the Content-Type, under the media type it is given', () => {
    const { contentType } = frameAsDotnet([part], model.multipart.type);
    expect(contentType).toMatch(new RegExp(`^${model.multipart.type}; boundary="[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"$`));
  });

  it('writes Content-Type before Content-Disposition, parameters bare unless they are no token, and filename*', () => {
    const { payload, contentType } = frameAsDotnet([part], model.multipart.type);
    const boundary = /boundary="([^"]+)"/.exec(contentType)![1]!;
    const text = Buffer.from(payload).toString('latin1');
    expect(text.startsWith(`--${boundary}\r\nContent-Type: image/png\r\nContent-Disposition: form-data; name=image; filename="photo one.png"; filename*=utf-8''photo%20one.png\r\n\r\n`)).toBe(true);
    const plain = Buffer.from(frameAsDotnet([{ ...part, filename: 'image.png' }], model.multipart.type).payload).toString('latin1');
    expect(plain).toContain(`Content-Disposition: form-data; name=image; filename=image.png; filename*=utf-8''image.png\r\n`);
    expect(text.endsWith(`\r\n--${boundary}--\r\n`)).toBe(true);
  });

  it('a quote or backslash in a value that must be quoted is escaped', () => {
    const text = Buffer.from(frameAsDotnet([{ ...part, filename: 'a "b\\c.png' }], model.multipart.type).payload).toString('latin1');
    expect(text).toContain('filename="a \\"b\\\\c.png";');
  });

  it('busboy reads the part back byte for byte, with its field, file name and type', async () => {
    const { payload, contentType } = frameAsDotnet([part], model.multipart.type);
    const parts = await parse(payload, contentType);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.name).toBe('image');
    expect(parts[0]!.filename).toBe('photo one.png');
    expect(parts[0]!.mimeType).toBe('image/png');
    expect([...parts[0]!.bytes]).toEqual([...bytes]);
  });

  it("the reference target's own steps take the image out of it", async () => {
    const { payload, contentType } = frameAsDotnet([{ ...part, field: model.multipart.field }], model.multipart.type);
    const none = '';
    const ctx: TargetContext = { model, maxBodyBytes: 1 << 20, store: new ImageStore([]), credentials: { basic: { user: none, password: none }, soticket: none, bearer: none, session: { cookie: none, xsrfToken: none } } };
    const decision = checkContentType(contentType, ctx);
    if (!decision.ok || decision.kind !== 'multipart') throw new Error(`the framed Content-Type was refused: ${JSON.stringify(decision)}`);
    const image = await extractImage(decision, Buffer.from(payload), ctx);
    expect(image.ok && [...image.bytes]).toEqual([...bytes]);
  });

  it('records show the framing: quoted for .NET, unquoted for FormData', () => {
    expect(shownMultipartType({ mediaType: model.multipart.type })).toBe(`${model.multipart.type}; boundary="…"`);
    expect(shownMultipartType(undefined)).toBe('multipart/form-data; boundary=…');
  });
});
