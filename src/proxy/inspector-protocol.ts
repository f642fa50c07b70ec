/**
 * What the proxy (inspector-process.ts) and its body inspector (inspector-child.ts) say to each
 * other over the IPC channel. Advanced serialization: a body travels as the bytes it is, the
 * facts come back as inspectBody made them.
 */
import type { BodyFacts } from '../checks/client/types.js';

/**
 * To the child: first `start` (the spec to read, the same file the proxy read, and the inspection
 * limit), then one `inspect` per save's body, answered in the order they were sent.
 */
export type InspectorRequest =
  | { kind: 'start'; specPath: string; maxBodyBytes: number }
  | { kind: 'inspect'; id: number; contentType: string | undefined; bytes: Buffer | undefined; size: number };

/**
 * From the child: `ready` once the spec is read (its sha256, for the proxy to compare with its
 * own), then per `inspect` its facts, or why inspectBody failed; `fatal` (why it stops) just
 * before it exits on an error of its own (the spec does not load).
 */
export type InspectorReply =
  | { kind: 'ready'; sha256: string }
  | { kind: 'fatal'; message: string }
  | { kind: 'facts'; id: number; facts: BodyFacts }
  | { kind: 'failed'; id: number; message: string };
