export { invalidBodyRecipe, renderInvalidBody, invalidBodyKind, INVALID_BODY_KINDS } from './invalid-body.js';
export { DAMAGE_KINDS } from './damage.js';
