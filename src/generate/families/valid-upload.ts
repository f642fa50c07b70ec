/**
 * valid-upload: well-formed images of every format and size the generators make, raw and
 * multipart, with an Accept the server can produce. A healthy server answers them below 500.
 */
import { acceptHeader } from '../accept.js';
import { JUST_THE_CASE, NO_TRAITS, recipe } from './shared.js';
import type { FamilyDefinition } from './types.js';
import { imageClasses } from './classes.js';

export const validUploadFamily: FamilyDefinition = {
  name: 'valid-upload',
  serial: false,
  expectHealthy: true,
  traits: NO_TRAITS,
  classes: () => imageClasses(),
  recipes: (g) =>
    recipe({ family: 'valid-upload', method: g.method, person: g.me, auth: g.valid, body: g.validBody(), accept: acceptHeader(g.ctx.model, { wildcards: false, unsupported: false }) }),
  ...JUST_THE_CASE,
};
