/** The embedded reference target. */
export { startReferenceTarget, describeTarget } from './server.js';
export type { RunningTarget, ReferenceTargetOptions } from './server.js';
export { defaultBehaviour } from './behaviour.js';
