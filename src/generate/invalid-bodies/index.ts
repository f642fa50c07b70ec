export { invalidBodyRecipe, renderInvalidBody, describeInvalidBody, invalidBodyKind, INVALID_BODY_CLASSES, INVALID_BODY_KINDS, type InvalidBodyConstraints } from './invalid-body.js';
export { FOREIGN_KINDS, type ForeignKind } from './foreign.js';
export { DAMAGE_KINDS } from './damage.js';
