/** accept: a small valid upload under each response type, lists with q-values, wildcards, types no 200 declares, or no Accept. */
import { acceptHeader } from '../accept.js';
import { JUST_THE_CASE, NO_TRAITS, recipe } from './shared.js';
import type { FamilyDefinition } from './types.js';
import { acceptClasses } from './classes.js';

export const acceptFamily: FamilyDefinition = {
  name: 'accept',
  serial: false,
  expectHealthy: false,
  traits: NO_TRAITS,
  classes: (ctx) => acceptClasses(ctx.model),
  recipes: (g) => recipe({ family: 'accept', method: g.method, person: g.me, auth: g.valid, body: g.smallBody, accept: acceptHeader(g.ctx.model) }),
  ...JUST_THE_CASE,
};
