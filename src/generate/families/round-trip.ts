/**
 * round-trip: an upload of an image up to 256x256, then, when it answered 200, GET ImageInfo and
 * GET Image of the person. Serial: it changes and reads the configured person's image.
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
  // The upload, ImageInfo and Image (counted as if the upload answered 200).
  requestsPerCase: () => 3,
  async execute(io, c) {
    const o = await io.send();
    const extra: CaseExtra = {};
    if (o.status === 200) {
      const segment = c.recipe.person.segment;
      extra.imageInfo = await io.read(io.paths.imageInfo, segment, 'application/json');
      extra.image = await io.read(io.paths.image, segment);
      if (extra.image.status === 200) extra.imageDecodes = await io.imageDecodes(extra.image.body);
    }
    return { o, extra };
  },
};
