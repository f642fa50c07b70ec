/**
 * The behaviour pipeline: each step can be replaced alone, so a test builds a target that
 * breaks exactly one rule, or a lenient target that still conforms.
 */
import { describe, expect, it } from 'vitest';
import { defaultBehaviour, startReferenceTarget, type ReferenceTargetOptions, type RunningTarget } from '../../src/target/index.js';
import { auth, blobIdOf, call, imageUrl, png, upload } from './helpers.js';

async function withTarget(options: ReferenceTargetOptions, body: (t: RunningTarget) => Promise<void>): Promise<void> {
  const t = await startReferenceTarget(options);
  try {
    await body(t);
  } finally {
    await t.close();
  }
}

describe('replacing one step', () => {
  it('the default behaviour names every step and cannot be changed in place', () => {
    expect(Object.keys(defaultBehaviour).sort()).toEqual(
      [
        'authenticate',
        'checkContentType',
        'deleteImage',
        'errorBody',
        'extractImage',
        'getImage',
        'imageInfo',
        'negotiate',
        'parsePersonId',
        'personExists',
        'readBody',
        'serializeBlobId',
        'storeImage',
        'validateImage',
      ].sort(),
    );
    expect(Object.isFrozen(defaultBehaviour)).toBe(true);
  });

  it('a blob id serialized as a string breaks only the 200 body', async () => {
    await withTarget({ behaviour: { serializeBlobId: (mt, id) => defaultBehaviour.serializeBlobId(mt, String(id)) } }, async (t) => {
      const a = await upload(t, 1, await png(), 'image/png');
      expect(a.status).toBe(200);
      expect(JSON.parse(a.text)).toBe(String(await blobIdOf(t, 1)));
      expect((await upload(t, 1, Buffer.from('x'), 'image/png')).status).toBe(400);
    });
  });

  it('an authenticate that lets everyone in breaks only authentication', async () => {
    await withTarget({ behaviour: { authenticate: () => ({ ok: true, scheme: 'none' }) } }, async (t) => {
      expect((await call(imageUrl(t, 1), 'PUT', { 'content-type': 'image/png' }, await png())).status).toBe(200);
      expect((await call(imageUrl(t, 0), 'PUT', { 'content-type': 'image/png' }, await png())).status).toBe(400);
    });
  });

  it('a validateImage that believes everything stores garbage', async () => {
    await withTarget({ behaviour: { validateImage: async () => ({ ok: true, format: 'png', mediaType: 'image/png', width: 1, height: 1, pages: 1 }) } }, async (t) => {
      expect((await upload(t, 1, Buffer.from('not an image'), 'image/png')).status).toBe(200);
    });
  });

  it('a step that throws gives a 500 with an error body and the server keeps serving', async () => {
    await withTarget(
      {
        behaviour: {
          storeImage: () => {
            throw new Error('disk on fire');
          },
        },
      },
      async (t) => {
        const a = await upload(t, 1, await png(), 'image/png');
        expect(a.status).toBe(500);
        expect(JSON.parse(a.text)).toMatchObject({ Error: true });
        expect(a.text).not.toMatch(/disk on fire|\bat\s/);
        expect((await call(`${t.url}/Person/1/ImageInfo`, 'GET', auth(t))).status).toBe(200);
      },
    );
  });
});

describe('a lenient but conforming target', () => {
  it('answers 404 for non-int32 ids, 415 for undeclared types and 406 for unproducible Accept, storing nothing', async () => {
    await withTarget(
      {
        behaviour: {
          parsePersonId: (segment, ctx) => {
            const r = defaultBehaviour.parsePersonId(segment, ctx);
            return !r.ok && /not an integer|int32/.test(r.message) ? { ...r, status: 404 } : r;
          },
          checkContentType: (type, ctx) => {
            const r = defaultBehaviour.checkContentType(type, ctx);
            return !r.ok && /not supported/.test(r.message) ? { ...r, status: 415 } : r;
          },
          negotiate: (accept, ctx) => {
            const r = defaultBehaviour.negotiate(accept, ctx);
            const wanted = accept === undefined || accept.includes('*') || (r !== 'not-acceptable' && accept.includes(r.type));
            return wanted ? r : 'not-acceptable';
          },
        },
      },
      async (t) => {
        const image = await png();
        expect((await upload(t, 'abc', image, 'image/png')).status).toBe(404);
        expect((await upload(t, 0, image, 'image/png')).status).toBe(400);
        expect((await upload(t, 1, image, 'text/plain')).status).toBe(415);
        const before = await blobIdOf(t, 1);
        const refused = await upload(t, 1, image, 'image/png', { accept: 'image/png' });
        expect(refused.status).toBe(406);
        expect(JSON.parse(refused.text)).toMatchObject({ Error: true });
        expect(await blobIdOf(t, 1)).toBe(before);
        expect((await upload(t, 1, image, 'image/png', { accept: 'text/xml' })).status).toBe(200);
      },
    );
  });
});
