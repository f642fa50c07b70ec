/**
 * image-readable-after-upload must not pass another image than the upload: GET Image answering an
 * image of other proportions than the upload fails the rule (an older one, or a lagging cache); a
 * re-encoded or scaled copy of the upload passes (the server may re-encode or scale).
 */
import { describe, it } from 'vitest';
import { imageReadableAfterUpload } from '../../src/checks/round-trip.js';
import type { CaseExtra } from '../../src/checks/types.js';
import type { BodyRecipe } from '../../src/generate/case.js';
import { caseOf, expectOutcome, judge, obs, ok200, pngBytes, pngRecipe } from './fixtures.js';

const old = await pngBytes(7, 5);
const fresh = await pngBytes(4, 4);
const served = (bytes: Buffer) => obs(200, bytes, { 'content-type': 'image/png' });
const uploadOf = (width: number, height: number): BodyRecipe => ({ kind: 'image', image: pngRecipe(width, height), as: 'raw' });
const facts = (width: number, height: number) => ({ format: 'png', width, height });

async function judged(upload: BodyRecipe, extra: CaseExtra) {
  return judge(imageReadableAfterUpload, await caseOf('round-trip', { body: upload }), ok200('825'), { imageDecodes: true, ...extra });
}

describe('image-readable-after-upload: an older image', () => {
  it('fails when GET Image answers the same bytes as before a 4x4 upload over a 7x5 image', async () => {
    const extra: CaseExtra = { image: served(old), imageFacts: facts(7, 5), imageBefore: { bytes: old, facts: facts(7, 5) } };
    expectOutcome(await judged(uploadOf(4, 4), extra), /answers a 7x5 image, the same bytes as before the upload, after a 4x4 upload: not the uploaded image/);
  });

  it('passes the new image, re-encoded or not', async () => {
    expectOutcome(await judged(uploadOf(4, 4), { image: served(fresh), imageFacts: facts(4, 4), imageBefore: { bytes: old, facts: facts(7, 5) } }), true);
  });

  it('passes the same bytes when the upload has the size of the image before (the same picture uploaded again)', async () => {
    expectOutcome(await judged(uploadOf(7, 5), { image: served(old), imageFacts: facts(7, 5), imageBefore: { bytes: old, facts: facts(7, 5) } }), true);
  });

  it('passes a scaled copy of the same aspect ratio (a server that makes thumbnails)', async () => {
    const thumb = await pngBytes(8, 8);
    expectOutcome(await judged(uploadOf(4, 4), { image: served(thumb), imageFacts: facts(8, 8), imageBefore: { bytes: thumb, facts: facts(8, 8) } }), true);
  });

  it('fails an image of other proportions that was not served before (a cache one upload behind)', async () => {
    expectOutcome(await judged(uploadOf(4, 4), { image: served(old), imageFacts: facts(7, 5), imageBefore: { bytes: fresh, facts: facts(4, 4) } }), /answers a 7x5 image after a 4x4 upload/);
  });

  it('passes scaling with rounding: 255x3 served as 128x2, 3x255 as 1x85', async () => {
    expectOutcome(await judged(uploadOf(255, 3), { image: served(old), imageFacts: facts(128, 2) }), true);
    expectOutcome(await judged(uploadOf(3, 255), { image: served(old), imageFacts: facts(1, 85) }), true);
  });

  it('judges nothing more when the served image could not be decoded (the decode rule speaks)', async () => {
    expectOutcome(await judged(uploadOf(4, 4), { image: served(old), imageBefore: { bytes: old } }), true);
  });
});
