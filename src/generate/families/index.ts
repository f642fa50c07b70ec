/**
 * The case families, each one object in its own file: `families(ctx)` binds them to a run's
 * generation context, in the order a run sends them; `familyOf` finds a case's family by the name
 * its recipe carries (how the engine executes a case, and the traits the checks ask).
 */
import type { CaseFamily } from '../case.js';
import { acceptFamily } from './accept.js';
import { authFirstFamily } from './auth-first.js';
import { authFamily } from './auth.js';
import { contentTypeFamily } from './content-type.js';
import { extremeImageFamily } from './extreme-image.js';
import { invalidBodyFamily } from './invalid-body.js';
import { languageHeadersFamily } from './language-headers.js';
import { personIdFamily } from './person-id.js';
import { roundTripFamily } from './round-trip.js';
import { familyGenerators } from './shared.js';
import type { FamilyGenerators } from './types.js';
import type { Family, FamilyDefinition, GenerationContext } from './types.js';
import { validUploadFamily } from './valid-upload.js';

export type { CaseIo, Executed, Family, FamilyDefinition, FamilyTraits, GenerationContext } from './types.js';

/** Every family, in the order a run sends them. */
export const FAMILY_DEFINITIONS: readonly FamilyDefinition[] = [
  validUploadFamily,
  roundTripFamily,
  languageHeadersFamily,
  acceptFamily,
  authFamily,
  authFirstFamily,
  invalidBodyFamily,
  contentTypeFamily,
  personIdFamily,
  extremeImageFamily,
];

const BY_NAME = new Map<CaseFamily, FamilyDefinition>(FAMILY_DEFINITIONS.map((f) => [f.name, f]));

/** The family of that name. */
export function familyOf(name: CaseFamily): FamilyDefinition {
  const family = BY_NAME.get(name);
  if (!family) throw new Error(`no case family named ${JSON.stringify(name)}`);
  return family;
}

/** A family bound to a run's generators: its behaviour and the arbitrary of its recipes. */
function bind(definition: FamilyDefinition, g: FamilyGenerators): Family {
  const { recipes, classes, ...behaviour } = definition;
  return { ...behaviour, arbitrary: recipes(g), classes: classes?.(g.ctx) ?? [] };
}

/** The families of a run, each an arbitrary of CaseRecipes that exercises a group of rules (rules.yaml names them under `exercisedBy`). */
export function families(ctx: GenerationContext): Family[] {
  const g = familyGenerators(ctx);
  return FAMILY_DEFINITIONS.map((f) => bind(f, g));
}
