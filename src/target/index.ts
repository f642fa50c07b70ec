/** The embedded reference target. */
export { startReferenceTarget, describeTarget, DEFAULT_MAX_BODY_BYTES } from './server.js';
export type { RunningTarget, ReferenceTargetOptions, TargetDescription } from './server.js';
export { defaultBehaviour } from './behaviour.js';
export type { TargetBehaviour, TargetContext, TargetCredentials, ImageValidation, ContentTypeDecision, Refusal, Result, ErrorBody, GetImageAnswer } from './types.js';
export { MAX_PIXELS } from './image-validation.js';
