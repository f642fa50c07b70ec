/**
 * round-trip: GET Image (the image the person has), an upload of an image up to 256x256, then,
 * when it answered 200, GET ImageInfo and GET Image of the person again, so that the checks can
 * tell a served image from an older one. Serial: it changes and reads the configured person's image.
 */
import type { CaseExtra } from '../../checks/types.js';
import { NO_TRAITS, recipe } from './shared.js';
import type { FamilyDefinition } from './types.js';
import { imageClasses } from './classes.js';

export const roundTripFamily: FamilyDefinition = {
  name: 'round-trip',
  serial: true,
  expectHealthy: true,
  traits: { ...NO_TRAITS, readsBackAfterUpload: true },
  classes: () => imageClasses(),
  recipes: (g) => recipe({ family: 'round-trip', method: g.method, person: g.me, auth: g.valid, body: g.validBody(256) }),
  // Image before, the upload, ImageInfo and Image (counted as if the upload answered 200).
  requestsPerCase: () => 4,
  async execute(io, c) {
    const extra: CaseExtra = {};
    const segment = c.recipe.person.segment;
    const before = await io.read(io.paths.image, segment);
    if (before.status === 200) {
      const facts = await io.imageFacts(before.body);
      extra.imageBefore = { bytes: before.body, ...(facts ? { facts } : {}) };
    }
    const o = await io.send();
    if (o.status === 200) {
      extra.imageInfo = await io.read(io.paths.imageInfo, segment, 'application/json');
      extra.image = await io.read(io.paths.image, segment);
      if (extra.image.status === 200) {
        const facts = await io.imageFacts(extra.image.body);
        extra.imageDecodes = facts !== undefined;
        if (facts) extra.imageFacts = facts;
      }
    }
    return { o, extra };
  },
};
