/**
 * valid-upload: well-formed images of every format and size the generators make, raw and
 * multipart, with an Accept the server can produce. A healthy server answers them below 500.
 * Beside the variants every family sends, these bodies carry the variety real files have (off in
 * the other families, whose bodies only need *a* valid image): JPEG in CMYK and YCCK and with an
 * embedded ICC profile, PNG with ancillary chunks (see images/jpeg.ts and images/png-chunks.ts).
 */
import fc from 'fast-check';
import { acceptHeader } from '../accept.js';
import type { BodyRecipe } from '../case.js';
import { validImageRecipe, type ValidImageConstraints } from '../images/valid-image.js';
import { JUST_THE_CASE, NO_TRAITS, recipe } from './shared.js';
import type { FamilyDefinition } from './types.js';
import { imageClasses, imageVarietyClasses, multipartFramingClasses } from './classes.js';

/** The variety of real files, on top of the default variants. */
const REAL_FILE_VARIETY: ValidImageConstraints = {
  png: { ancillary: true },
  jpeg: { colourModels: true, icc: true, fillBytes: true },
  gif: { noGlobalTable: true },
  tiff: { pagesDiffer: true },
};

/**
 * Raw or multipart; a third of the multipart ones framed as .NET's HttpClient frames them. (The
 * framing is drawn last, so the image, raw or multipart, of every seed stays what it was.)
 */
const validUploadBody: fc.Arbitrary<BodyRecipe> = fc
  .record({
    kind: fc.constant('image' as const),
    image: validImageRecipe(REAL_FILE_VARIETY),
    as: fc.constantFrom<'raw' | 'multipart'>('raw', 'multipart'),
    dotnet: fc.integer({ min: 0, max: 2 }).map((n) => n === 0),
  })
  .map(({ dotnet, ...body }): BodyRecipe => (body.as === 'multipart' && dotnet ? { ...body, framing: 'dotnet' } : body));

export const validUploadFamily: FamilyDefinition = {
  name: 'valid-upload',
  serial: false,
  expectHealthy: true,
  traits: NO_TRAITS,
  classes: () => [...imageClasses(), ...imageVarietyClasses(), ...multipartFramingClasses()],
  recipes: (g) =>
    recipe({ family: 'valid-upload', method: g.method, person: g.me, auth: g.valid, body: validUploadBody, accept: acceptHeader(g.ctx.model, { wildcards: false, unsupported: false }) }),
  ...JUST_THE_CASE,
};
